import { generatePassword } from '../../electron/vault/domain/generator.ts';

export function stats(samples: number[]): string {
  const sorted = [...samples].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)]!;
  return `median ${median.toFixed(0)} ms (min ${sorted[0]!.toFixed(0)}, max ${sorted.at(-1)!.toFixed(0)}, n=${samples.length})`;
}

/** One account of a benchmark vault, as both Custodian's CSV and KeePass XML carry it. */
export interface BenchRow {
  readonly handle: string;
  readonly unit: string;
  readonly username: string;
  readonly password: string;
  readonly twoFactor: string;
  readonly lastActivityOn: string;
}

/**
 * `count` accounts for the benchmarks: one in fifty with a weak password, two in three with 2FA
 * recorded, activity spread over the year so the health rules find things.
 */
export function benchRows(count: number): BenchRow[] {
  const rows: BenchRow[] = [];
  for (let i = 0; i < count; i++) {
    rows.push({
      handle: `Account${i}`,
      unit: `Team ${i % 40}`,
      username: `user${i}`,
      password:
        i % 50 === 0
          ? 'password1'
          : `Pw-${i}-${generatePassword({ classes: ['lower', 'upper', 'digits'] })}`,
      twoFactor: i % 3 ? 'sms' : '',
      lastActivityOn: `2026-${String((i % 11) + 1).padStart(2, '0')}-01`,
    });
  }
  return rows;
}

/** The rows as a registration CSV for `custodian account import` (policy 9.8). */
export function rowsCsv(rows: readonly BenchRow[]): string {
  return [
    'platform,handle,force,unit_type,unit,username,password,two_factor,last_activity_on',
    ...rows.map(
      (r) =>
        `x,${r.handle},norfolk,team,${r.unit},${r.username},${r.password},${r.twoFactor},${r.lastActivityOn}`,
    ),
  ].join('\n');
}

export function benchCsv(count: number): string {
  return rowsCsv(benchRows(count));
}
