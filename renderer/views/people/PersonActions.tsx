import { useId, useState, type SyntheticEvent } from 'react';
import type { Person } from '../../../shared/domain/registry.ts';
import { call } from '../../api.ts';
import type { Run } from '../../components/useAction.ts';
import { FormActions } from '../../components/FormActions.tsx';

/**
 * Edit or retire one person on the register. Edit is on the version the list showed (ADR 0023);
 * retiring needs a reason, and the core refuses it while the person still has access anywhere
 * (10.2: remove it on each account, which makes that account rotation due).
 */
export function PersonActions({
  id,
  version,
  person,
  mayEdit,
  mayRetire,
  act,
}: {
  id: string;
  version: number;
  person: Person;
  mayEdit: boolean;
  mayRetire: boolean;
  act: (run: Run) => Promise<void>;
}) {
  const formId = useId();
  const [open, setOpen] = useState<'edit' | 'retire' | null>(null);
  const [name, setName] = useState(person.name);
  const [staffNo, setStaffNo] = useState(person.staffNo ?? '');
  const [department, setDepartment] = useState(person.department ?? '');
  const [reason, setReason] = useState('');

  function save(event: SyntheticEvent) {
    event.preventDefault();
    void act(async () => {
      const changed = {
        ...(name.trim() !== person.name ? { name } : {}),
        ...(staffNo.trim() && staffNo.trim() !== (person.staffNo ?? '') ? { staffNo } : {}),
        ...(department.trim() && department.trim() !== (person.department ?? '')
          ? { department }
          : {}),
      };
      const saved = await call('people.edit', { person: id, ...changed, expectedVersion: version });
      setOpen(null);
      return `${saved.name}'s record changed and recorded.`;
    });
  }

  function retire(event: SyntheticEvent) {
    event.preventDefault();
    void act(async () => {
      const { name: who, retiredOn } = await call('people.retire', { person: id, reason });
      setOpen(null);
      return `${who} retired from the register on ${retiredOn}; their record and history are kept.`;
    });
  }

  if (open === 'edit')
    return (
      <form className="grant" onSubmit={save} aria-label={`Edit ${person.name}`}>
        <label htmlFor={`${formId}-name`}>Name</label>
        <input
          id={`${formId}-name`}
          value={name}
          required
          maxLength={100}
          onChange={(e) => setName(e.target.value)}
        />
        <label htmlFor={`${formId}-staff`}>Staff or collar number</label>
        <input
          id={`${formId}-staff`}
          value={staffNo}
          maxLength={20}
          onChange={(e) => setStaffNo(e.target.value)}
        />
        <label htmlFor={`${formId}-dept`}>Department</label>
        <input
          id={`${formId}-dept`}
          value={department}
          maxLength={200}
          onChange={(e) => setDepartment(e.target.value)}
        />
        <FormActions submit={`Save ${person.name}`} onCancel={() => setOpen(null)} />
      </form>
    );
  if (open === 'retire')
    return (
      <form className="grant" onSubmit={retire} aria-label={`Retire ${person.name}`}>
        <label htmlFor={`${formId}-why`}>Why {person.name} leaves the register (recorded)</label>
        <input
          id={`${formId}-why`}
          value={reason}
          required
          maxLength={500}
          placeholder="e.g. left the force on transfer"
          onChange={(e) => setReason(e.target.value)}
        />
        <FormActions
          submit={`Retire ${person.name}`}
          tone="danger"
          onCancel={() => setOpen(null)}
        />
      </form>
    );
  return (
    <span className="actions">
      {mayEdit && (
        <button type="button" onClick={() => setOpen('edit')} aria-label={`Edit ${person.name}`}>
          Edit…
        </button>
      )}
      {mayRetire && (
        <button
          type="button"
          onClick={() => setOpen('retire')}
          aria-label={`Retire ${person.name}`}
        >
          Retire…
        </button>
      )}
    </span>
  );
}
