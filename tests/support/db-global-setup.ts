import { startServices } from './e2e-global-setup';

/** The integration project needs PostgreSQL only. */
export default () => startServices({ temporal: false });
