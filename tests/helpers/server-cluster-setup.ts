import type { TestProject } from 'vitest/node';
import { startThrowawayCluster } from './postgres-cluster.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The socket folder of the cluster the `postgres` project's files share (vitest.config.ts). */
    serverTestCluster: string;
  }
}

/**
 * Global setup of the `postgres` project: one throwaway cluster for the whole run, in place of one
 * per test file. Starting a cluster (initdb, then the server) took 1.5-3.5 s a file, for 118 files.
 * Each file's vaults are databases of their own on it (tests/helpers/vault.ts), dropped when the
 * file ends; nothing a test does reaches past its own databases (NOTIFY, advisory locks and the
 * vault's tables are all per database). Files that stop, kill or configure a server start their
 * own cluster and do not run in this project (tests/backends.ts, OWN_CLUSTER).
 */
export default function setup(project: TestProject): () => void {
  const cluster = startThrowawayCluster({
    fsync: false,
    // Two or three files at once, each with a few sessions, listeners and an operator's client.
    settings: { max_connections: '300' },
  });
  project.provide('serverTestCluster', cluster.socketDir);
  return () => cluster.stop();
}
