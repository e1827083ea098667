import { useId } from 'react';
import { FORCES, UNIT_TYPES } from '../../../shared/domain/accounts.ts';
import type { RequestOf } from '../../../shared/ipc/contract.ts';

type Request = RequestOf<'accounts.import'>;
export type Defaults = NonNullable<Request['defaults']>;
export type GroupUnits = NonNullable<Request['groupUnits']>;

/**
 * The wizard's third step: what fills what an entry does not say (its force, unit type and unit),
 * and each KeePass group or Bitwarden folder or collection mapped to a unit. A group left blank
 * takes the default unit; nothing is guessed from a group's name unless the person says so.
 */
export function ImportSettings({
  groups,
  defaults,
  groupUnits,
  disabled,
  onDefaults,
  onGroupUnits,
}: {
  groups: readonly string[];
  defaults: Defaults;
  groupUnits: GroupUnits;
  disabled: boolean;
  onDefaults: (defaults: Defaults) => void;
  onGroupUnits: (groupUnits: GroupUnits) => void;
}) {
  const setGroup = (group: string, to: { unit: string; unitType?: string }) => {
    const others = Object.entries(groupUnits).filter(([name]) => name !== group);
    const unitType = UNIT_TYPES.find((type) => type === to.unitType);
    onGroupUnits(
      Object.fromEntries(
        to.unit.trim() === ''
          ? others
          : [...others, [group, { unit: to.unit, ...(unitType ? { unitType } : {}) }]],
      ),
    );
  };
  return (
    <fieldset className="import-settings" disabled={disabled}>
      <legend>Defaults for entries that do not say</legend>
      <div className="import-defaults">
        <Select
          label="Force"
          value={defaults.force ?? ''}
          options={FORCES}
          onChange={(force) => onDefaults(withValue(defaults, 'force', force))}
        />
        <Select
          label="Unit type"
          value={defaults.unitType ?? ''}
          options={UNIT_TYPES}
          onChange={(unitType) => onDefaults(withValue(defaults, 'unitType', unitType))}
        />
        <Text
          label="Unit"
          value={defaults.unit ?? ''}
          onChange={(unit) => onDefaults(withValue(defaults, 'unit', unit))}
        />
      </div>
      {groups.length > 0 && (
        <>
          <table className="import-report">
            <caption>Groups to units (left blank: the default unit)</caption>
            <thead>
              <tr>
                <th scope="col">Group in the file</th>
                <th scope="col">Unit type</th>
                <th scope="col">Unit</th>
              </tr>
            </thead>
            <tbody>
              {groups.map((group) => (
                <tr key={group}>
                  <th scope="row">{group}</th>
                  <td>
                    <Select
                      label={`Unit type for ${group}`}
                      hideLabel
                      value={groupUnits[group]?.unitType ?? ''}
                      options={UNIT_TYPES}
                      onChange={(unitType) =>
                        setGroup(group, { unit: groupUnits[group]?.unit ?? group, unitType })
                      }
                    />
                  </td>
                  <td>
                    <Text
                      label={`Unit for ${group}`}
                      hideLabel
                      value={groupUnits[group]?.unit ?? ''}
                      onChange={(unit) =>
                        setGroup(group, {
                          unit,
                          ...(groupUnits[group]?.unitType
                            ? { unitType: groupUnits[group].unitType }
                            : {}),
                        })
                      }
                    />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <button
            type="button"
            onClick={() =>
              onGroupUnits(
                Object.fromEntries(
                  groups.map((group) => [
                    group,
                    { ...groupUnits[group], unit: group.split('/').at(-1) ?? group },
                  ]),
                ),
              )
            }
          >
            Use each group&rsquo;s name as its unit
          </button>
        </>
      )}
    </fieldset>
  );
}

function withValue(defaults: Defaults, key: keyof Defaults, value: string): Defaults {
  const others = Object.entries(defaults).filter(([name]) => name !== key);
  return Object.fromEntries(value === '' ? others : [...others, [key, value]]);
}

function Select({
  label,
  value,
  options,
  onChange,
  hideLabel = false,
}: {
  label: string;
  value: string;
  options: readonly string[];
  onChange: (value: string) => void;
  hideLabel?: boolean;
}) {
  const id = useId();
  return (
    <span className="import-field">
      <label htmlFor={id} className={hideLabel ? 'visually-hidden' : undefined}>
        {label}
      </label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="">(not set)</option>
        {options.map((o) => (
          <option key={o} value={o}>
            {o}
          </option>
        ))}
      </select>
    </span>
  );
}

function Text({
  label,
  value,
  onChange,
  hideLabel = false,
}: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  hideLabel?: boolean;
}) {
  const id = useId();
  return (
    <span className="import-field">
      <label htmlFor={id} className={hideLabel ? 'visually-hidden' : undefined}>
        {label}
      </label>
      <input id={id} value={value} maxLength={200} onChange={(e) => onChange(e.target.value)} />
    </span>
  );
}
