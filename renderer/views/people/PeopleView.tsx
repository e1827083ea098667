import { useState, type SyntheticEvent } from 'react';
import { call } from '../../api.ts';
import { useAction } from '../../components/useAction.ts';
import { Field, Outcome } from '../../components/Field.tsx';
import { Status, useLoad } from '../../components/Load.tsx';
import { roleMayCall } from '../../../shared/ipc/contract.ts';
import type { Member } from '../../stores/session.ts';
import { PersonActions } from './PersonActions.tsx';

const today = () => new Date().toISOString().slice(0, 10);

/**
 * The staff register and training (policy 11.1): a masterclass before first use, then an annual
 * refresher. Each person's status comes from the health rule itself, so the console and the report
 * agree. Adding and recording are offered only to a member who may make them (10.2, 9.14).
 */
export function PeopleView({ member }: { member: Member }) {
  const mayAdd = roleMayCall(member.role, 'people.add');
  const mayEdit = roleMayCall(member.role, 'people.edit');
  const mayRetire = roleMayCall(member.role, 'people.retire');
  const [load, reload] = useLoad(() => call('people.list', {}));
  const { message, error, act } = useAction(reload);
  const [name, setName] = useState('');
  const [staffNo, setStaffNo] = useState('');
  const [masterclassOn, setMasterclassOn] = useState('');

  function add(event: SyntheticEvent) {
    event.preventDefault();
    void act(async () => {
      await call('people.add', {
        name,
        ...(staffNo ? { staffNo } : {}),
        ...(masterclassOn ? { masterclassOn } : {}),
      });
      setName('');
      setStaffNo('');
      setMasterclassOn('');
      return `${name} added to the register.`;
    });
  }

  const refresher = (id: string, version: number, who: string) =>
    act(async () => {
      // On the version the list showed (ADR 0023): a change made since is refused, not overwritten.
      await call('people.train', { person: id, refresherOn: today(), expectedVersion: version });
      return `Refresher recorded for ${who} today.`;
    });

  return (
    <section aria-labelledby="people-title">
      <h1 id="people-title">People and training</h1>
      <Outcome message={message} error={error} />
      <Status load={load} />
      {load.state === 'ready' && load.value.length === 0 && (
        <p className="empty">
          No one is on the register yet.{' '}
          {mayAdd
            ? 'Add each person who will use an account below, with their masterclass date (11.1); then give them access on the account (10.2).'
            : 'The Digital Media Team adds each person who uses an account (10.2, 11.1).'}
        </p>
      )}
      {load.state === 'ready' && load.value.length > 0 && (
        <table className="findings stack-narrow">
          <caption className="visually-hidden">Staff register with training dates</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Staff no.</th>
              <th scope="col">Masterclass</th>
              <th scope="col">Last refresher</th>
              <th scope="col">Training (11.1)</th>
              {mayAdd && <th scope="col">Record</th>}
            </tr>
          </thead>
          <tbody>
            {load.value.map(({ id, version, person, training, canTrain, canEdit }) => (
              <tr key={id}>
                <td data-label="Name">
                  {person.name}
                  {person.department && (
                    <>
                      <br />
                      <span className="hint">{person.department}</span>
                    </>
                  )}
                </td>
                <td data-label="Staff no.">{person.staffNo ?? '—'}</td>
                <td data-label="Masterclass">{person.masterclassOn ?? 'none'}</td>
                <td data-label="Last refresher">{person.refresherOn ?? 'none'}</td>
                <td data-label="Training (11.1)">
                  {person.retiredOn !== undefined ? (
                    <strong>
                      retired {person.retiredOn}
                      {person.retireReason ? `: ${person.retireReason}` : ''}
                    </strong>
                  ) : (
                    <>
                      {training.severity && (
                        <>
                          <span className={`badge sev-${training.severity}`}>
                            {training.severity}
                          </span>{' '}
                        </>
                      )}
                      {training.summary}
                    </>
                  )}
                </td>
                {mayAdd && (
                  <td data-label="Record">
                    {canTrain && person.retiredOn === undefined && (
                      <button
                        type="button"
                        onClick={() => void refresher(id, version, person.name)}
                        aria-label={`Record a refresher today for ${person.name}`}
                      >
                        Refresher today
                      </button>
                    )}{' '}
                    {canEdit && person.retiredOn === undefined && (
                      <PersonActions
                        id={id}
                        version={version}
                        person={person}
                        mayEdit={mayEdit}
                        mayRetire={mayRetire}
                        act={act}
                      />
                    )}
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {mayAdd && (
        <form className="panel-form" onSubmit={add} aria-labelledby="add-person-title">
          <h2 id="add-person-title">Add a person</h2>
          <Field
            label="Name"
            value={name}
            onChange={(e) => setName(e.target.value)}
            required
            maxLength={100}
          />
          <Field
            label="Staff or collar number"
            value={staffNo}
            onChange={(e) => setStaffNo(e.target.value)}
            maxLength={20}
          />
          <Field
            label="Masterclass date"
            type="date"
            value={masterclassOn}
            onChange={(e) => setMasterclassOn(e.target.value)}
          />
          <button type="submit" className="primary">
            Add person
          </button>
        </form>
      )}
    </section>
  );
}
