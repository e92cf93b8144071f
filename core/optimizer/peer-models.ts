// The response models of a set of peer campaigns, fitted the way what-ifs and forecasts fit them: each campaign's
// own history (fit.ts), then a prior borrowed from the identified campaigns of its platform (model.ts peerPriors).
// Pure, so that services/forecasts (on the stored metrics) and bench/calibration (on simulated sandbox campaigns,
// to calibrate the intervals) fit exactly alike.
import { fitCampaign, type CampaignFit, type HistoryRow } from './fit.js';
import { buildModel, peerPriors, type ResponseModel } from './model.js';

export interface PeerCampaign {
  id: string;
  /** Peers are grouped by platform: a campaign's prior comes from the identified campaigns of its own platform. */
  platform: string;
  /** Today's daily budget (a decimal string or a number). */
  dailyBudget: string | number;
  history: HistoryRow[];
}

/**
 * Fits every peer and the platform priors from those fits; returns the model of any peer by id (null: too little
 * history for a model). Models are built on first use, so a caller pays only for the campaigns it asks about.
 */
export function peerModels(peers: readonly PeerCampaign[]): (id: string) => ResponseModel | null {
  const fits = new Map<string, { platform: string; fit: CampaignFit | null }>(
    peers.map((c) => [c.id, { platform: c.platform, fit: fitCampaign(c.history, Number(c.dailyBudget)) }]),
  );
  const priors = peerPriors(peers.filter((c) => fits.get(c.id)!.fit).map((c) => ({ group: c.platform, fit: fits.get(c.id)!.fit! })));
  const built = new Map<string, ResponseModel | null>();
  return (id) => {
    if (built.has(id)) return built.get(id)!;
    const f = fits.get(id);
    if (!f) throw new RangeError(`campaign ${id} is not one of the peers fitted`);
    const model = f.fit ? buildModel(f.fit, priors.get(f.platform)) : null;
    built.set(id, model);
    return model;
  };
}
