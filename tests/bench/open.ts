import { deriveKek, MINIMUM_KDF } from '../../electron/vault/crypto/kdf.ts';
import { typedPathChooser } from '../../electron/vault/file-handles.ts';
import { VaultRouter } from '../../electron/vault/router.ts';
import { MemoryClipboard } from '../../scripts/preview/console-page.ts';
import { fileHandle } from '../helpers/router.ts';
import { ManualTimers } from '../helpers/timers.ts';
import { scaleVault } from './scale.ts';

const median = (samples: readonly number[]) =>
  [...samples].sort((a, b) => a - b)[Math.floor(samples.length / 2)]!;

/**
 * Open to dashboard data after the KDF, alone (issue 17): on the scale bench's vaults, what the
 * console asks for at unlock (vault.unlock, then dashboard.get), less the median of the KDF timed
 * alone, BENCH_RUNS times per size, with the process's CPU time beside it. Small enough to run in
 * the code before and after in turn (A/B alternating), which the whole scale bench is not.
 */
export async function benchOpen(): Promise<void> {
  const sizes = (process.env['BENCH_SIZES'] ?? '1000,10000,50000').split(',').map(Number);
  const runs = Number(process.env['BENCH_RUNS'] ?? 7);
  const figures: { size: number; ms: number }[] = [];
  for (const size of sizes) {
    const { path } = await scaleVault(size);
    const kdfMs: number[] = [];
    for (let i = 0; i < 5; i++) {
      const start = performance.now();
      (await deriveKek('a benchmark passphrase', new Uint8Array(16), MINIMUM_KDF)).wipe();
      kdfMs.push(performance.now() - start);
    }
    const openMs: number[] = [];
    const cpuMs: number[] = [];
    for (let i = 0; i < runs; i++) {
      const router = new VaultRouter({
        clipboard: new MemoryClipboard(),
        timers: new ManualTimers(),
        files: typedPathChooser,
      });
      const file = await fileHandle(router, path);
      const cpu = process.cpuUsage();
      const start = performance.now();
      const unlocked = await router.invoke('vault.unlock', {
        file,
        memberName: 'Bench Lead',
        passphrase: 'a benchmark passphrase',
      });
      const dashboard = await router.invoke('dashboard.get', {});
      openMs.push(performance.now() - start - median(kdfMs));
      const used = process.cpuUsage(cpu);
      cpuMs.push((used.user + used.system) / 1000);
      if (!unlocked.ok || !dashboard.ok) throw new Error('The bench unlock or dashboard failed.');
      router.lock('quit');
    }
    figures.push({ size, ms: median(openMs) });
    console.log(
      `open to dashboard data after the KDF, ${size} accounts: median ${median(openMs).toFixed(1)} ms ` +
        `(min ${Math.min(...openMs).toFixed(1)}, max ${Math.max(...openMs).toFixed(1)}, n=${runs}; ` +
        `KDF ${median(kdfMs).toFixed(0)} ms; process CPU, KDF included, median ${median(cpuMs).toFixed(0)} ms)`,
    );
  }
  for (let i = 1; i < figures.length; i++) {
    const [a, b] = [figures[i - 1]!, figures[i]!];
    console.log(
      `  growth ${a.size} → ${b.size} (×${b.size / a.size}): ×${(b.ms / a.ms).toFixed(1)}`,
    );
  }
}
