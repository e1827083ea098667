import { generatePassword } from '../../electron/vault/domain/generator.ts';

export function stats(samples: number[]): string {
  const sorted = [...samples].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)]!;
  return `median ${median.toFixed(0)} ms (min ${sorted[0]!.toFixed(0)}, max ${sorted.at(-1)!.toFixed(0)}, n=${samples.length})`;
}

/**
 * A registration CSV of `count` accounts for the benchmarks: one in fifty with a weak password,
 * two in three with 2FA recorded, activity spread over the year so the health rules find things.
 */
export function benchCsv(count: number): string {
  const rows = [
    'platform,handle,force,unit_type,unit,username,password,two_factor,last_activity_on',
  ];
  for (let i = 0; i < count; i++) {
    const activity = `2026-${String((i % 11) + 1).padStart(2, '0')}-01`;
    const password =
      i % 50 === 0
        ? 'password1'
        : `Pw-${i}-${generatePassword({ classes: ['lower', 'upper', 'digits'] })}`;
    rows.push(
      `x,Account${i},norfolk,team,Team ${i % 40},user${i},${password},${i % 3 ? 'sms' : ''},${activity}`,
    );
  }
  return rows.join('\n');
}
