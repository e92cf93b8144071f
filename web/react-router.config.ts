// React Router 7 framework mode: server-rendered, built into web/build (client assets + one server bundle that the
// API process mounts for every non-/api path; see web/server/mount.ts).
import type { Config } from '@react-router/dev/config';

export default {
  appDirectory: 'app',
  buildDirectory: 'build',
  ssr: true,
} satisfies Config;
