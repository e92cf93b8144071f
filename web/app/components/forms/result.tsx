// What a form post did, announced to screen readers: green when done, red with the use case's words when refused.
export function FormNotice({ result, intent }: { result?: { intent: string; ok: boolean; message: string } | null; intent?: string | string[] }) {
  if (!result) return null;
  if (intent && !(Array.isArray(intent) ? intent : [intent]).includes(result.intent)) return null;
  return (
    <p
      role={result.ok ? 'status' : 'alert'}
      data-testid="form-result"
      className={`rounded border p-3 text-sm whitespace-pre-line ${result.ok ? 'border-green-300 bg-green-50 text-green-900' : 'border-red-300 bg-red-50 text-red-900'}`}
    >
      {result.message}
    </p>
  );
}
