import { useId } from 'react';

const STRENGTH = ['very weak', 'weak', 'fair', 'good', 'strong'];

/** zxcvbn's 0-4 score as a labelled meter and its word, for a password or passphrase field. */
export function StrengthMeter({ score }: { score: number }) {
  const id = useId();
  return (
    <>
      <label htmlFor={id}>Strength</label>{' '}
      <meter id={id} min={0} max={4} low={2} high={3} optimum={4} value={score} />{' '}
      <span>{STRENGTH[score] ?? ''}</span>
    </>
  );
}
