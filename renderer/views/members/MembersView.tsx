import { useState, type SyntheticEvent } from 'react';
import { ROLES, type Role } from '../../../shared/domain/roles.ts';
import { call } from '../../api.ts';
import { useAction, type Run } from '../../components/useAction.ts';
import { ConfirmAction } from '../../components/Confirm.tsx';
import { Choice, Field, Outcome } from '../../components/Field.tsx';
import { Status, useLoad } from '../../components/Load.tsx';
import { NewPassphraseField } from '../../components/NewPassphraseField.tsx';
import type { Member } from '../../stores/session.ts';

/**
 * Vault members and their keys (the lead): add and remove members; anyone changes their own
 * passphrase. Removing someone who could read passwords makes those accounts rotation due (10.2).
 */
export function MembersView({ member }: { member: Member }) {
  const isLead = member.role === 'lead';
  const { message, error, act } = useAction();

  return (
    <section aria-labelledby="members-title">
      <h1 id="members-title">{isLead ? 'Members and keys' : 'Your passphrase'}</h1>
      <Outcome message={message} error={error} />
      {isLead && <MemberList self={member} act={act} />}
      <Passphrase act={act} memberName={member.name} />
    </section>
  );
}

function MemberList({ self, act }: { self: Member; act: (run: Run) => Promise<void> }) {
  const [load, reload] = useLoad(() => call('members.list', {}));
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('dmt');
  const [passphrase, setPassphrase] = useState('');

  function add(event: SyntheticEvent) {
    event.preventDefault();
    void act(async () => {
      const added = await call('members.add', { name, role, passphrase });
      setName('');
      setPassphrase('');
      reload();
      return `${added.name} added as ${added.role}. Give them their passphrase in person; they should change it at first unlock.`;
    });
  }

  const remove = (who: string) =>
    act(async () => {
      const { accountsMarked } = await call('members.remove', { name: who });
      reload();
      return `${who} removed. ${accountsMarked} account${accountsMarked === 1 ? '' : 's'} they could read ${accountsMarked === 1 ? 'is' : 'are'} now rotation due (10.2).`;
    });

  return (
    <>
      <Status load={load} />
      {load.state === 'ready' && (
        <table className="findings">
          <caption className="visually-hidden">Vault members</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Role</th>
              <th scope="col">Added</th>
              <th scope="col">Status</th>
              <th scope="col">Action</th>
            </tr>
          </thead>
          <tbody>
            {load.value.map((m) => (
              <tr key={m.id}>
                <td>{m.name}</td>
                <td>{m.role}</td>
                <td>{m.addedAt.slice(0, 10)}</td>
                <td>{m.removedAt ? `removed ${m.removedAt.slice(0, 10)}` : 'active'}</td>
                <td>
                  {!m.removedAt && m.id !== self.id && (
                    <ConfirmAction
                      label="Remove"
                      ariaLabel={`Remove ${m.name}`}
                      confirmLabel={`Confirm: remove ${m.name}`}
                      onConfirm={() => void remove(m.name)}
                    />
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <form className="panel-form" onSubmit={add} aria-labelledby="add-member-title">
        <h2 id="add-member-title">Add a member</h2>
        <Field
          label="Member name"
          value={name}
          onChange={(e) => setName(e.target.value)}
          required
          maxLength={100}
        />
        <Choice label="Role" value={role} options={ROLES} onChange={(v) => setRole(v as Role)} />
        <NewPassphraseField
          label="Their first passphrase"
          value={passphrase}
          onChange={setPassphrase}
          memberName={name}
        />
        <button type="submit" className="primary">
          Add member
        </button>
      </form>
    </>
  );
}

function Passphrase({ act, memberName }: { act: (run: Run) => Promise<void>; memberName: string }) {
  const [next, setNext] = useState('');
  const [again, setAgain] = useState('');

  function change(event: SyntheticEvent) {
    event.preventDefault();
    void act(async () => {
      if (next !== again)
        throw new Error('The two passphrases differ. Type the same passphrase twice.');
      await call('members.change-passphrase', { passphrase: next });
      setNext('');
      setAgain('');
      return 'Your passphrase is changed. Use the new one from the next unlock.';
    });
  }

  return (
    <form className="panel-form" onSubmit={change} aria-labelledby="passphrase-title">
      <h2 id="passphrase-title">Change your passphrase</h2>
      <NewPassphraseField
        label="New passphrase"
        value={next}
        onChange={setNext}
        memberName={memberName}
        confirm={{ label: 'New passphrase again', value: again, onChange: setAgain }}
      />
      <button type="submit" className="primary">
        Change passphrase
      </button>
    </form>
  );
}
