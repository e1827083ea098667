import { FORCES, PLATFORMS, UNIT_TYPES } from '../../shared/domain/accounts.ts';
import { Choice, Field } from './Field.tsx';

/** Where an account lives and who it belongs to, as a form holds it (plain strings). */
export interface ProfileDraft {
  readonly platform: string;
  readonly handle: string;
  readonly force: string;
  readonly unitType: string;
  readonly unitName: string;
}

export const EMPTY_PROFILE: ProfileDraft = {
  platform: 'x',
  handle: '',
  force: 'norfolk',
  unitType: 'team',
  unitName: '',
};

/** The draft with its fixed lists typed, for the contract (the channel checks the values again). */
export function profileOf(draft: ProfileDraft) {
  return {
    platform: draft.platform as (typeof PLATFORMS)[number],
    handle: draft.handle,
    force: draft.force as (typeof FORCES)[number],
    unitType: draft.unitType as (typeof UNIT_TYPES)[number],
    unitName: draft.unitName,
  };
}

/**
 * Platform, handle, force, unit type and unit name: the same five fields for registering an
 * existing account (9.8) and requesting a new one (9.1-9.3).
 */
export function AccountProfileFields({
  value,
  onChange,
  unitTypeLabel = 'Unit type',
}: {
  value: ProfileDraft;
  onChange: (change: Partial<ProfileDraft>) => void;
  unitTypeLabel?: string;
}) {
  return (
    <>
      <Choice
        label="Platform"
        value={value.platform}
        options={PLATFORMS}
        onChange={(platform) => onChange({ platform })}
      />
      <Field
        label="Handle"
        value={value.handle}
        onChange={(e) => onChange({ handle: e.target.value })}
        required
        maxLength={100}
      />
      <Choice
        label="Force"
        value={value.force}
        options={FORCES}
        onChange={(force) => onChange({ force })}
      />
      <Choice
        label={unitTypeLabel}
        value={value.unitType}
        options={UNIT_TYPES}
        onChange={(unitType) => onChange({ unitType })}
      />
      <Field
        label="Unit name"
        value={value.unitName}
        onChange={(e) => onChange({ unitName: e.target.value })}
        required
        maxLength={200}
      />
    </>
  );
}
