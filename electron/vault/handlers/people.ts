import { findMemberByName } from '../domain/members.ts';
import {
  accessByPerson,
  addPerson,
  listPeople,
  editPerson,
  recordTraining,
  retirePerson,
  resolvePerson,
} from '../domain/people.ts';
import { registryEditCheck } from '../domain/registry-access.ts';
import { trainingNow } from '../health/service.ts';
import type { TrainingStatus } from '../health/rules/training.ts';
import { definedOnly, type HandlerContext, type Handlers } from './types.ts';

/** The staff register and training (11.1, 12.1). */
export function peopleHandlers(ctx: HandlerContext): Handlers<'people'> {
  return {
    'people.list': () => {
      const session = ctx.session();
      const training = trainingNow(session);
      const may = registryEditCheck(session);
      const access = accessByPerson(session);
      return listPeople(session).map((p) => {
        const { now, ever } = access.get(p.id) ?? { now: [], ever: [] };
        return {
          id: p.id,
          version: p.version,
          person: p.value,
          training: trainingSummary(training.get(p.id), p.value.masterclassOn),
          canTrain: may.person(now),
          canEdit: may.personRecord(ever),
        };
      });
    },
    'people.add': (r) => {
      const session = ctx.session();
      const { lineManager, member, ...person } = r;
      return {
        id: addPerson(session, {
          ...definedOnly(person),
          ...(lineManager ? { lineManagerId: resolvePerson(session, lineManager).id } : {}),
          ...(member ? { memberId: findMemberByName(session, member).id } : {}),
        }).id,
      };
    },
    'people.train': (r) => {
      recordTraining(
        ctx.session(),
        r.person,
        definedOnly({ masterclassOn: r.masterclassOn, refresherOn: r.refresherOn }),
        r.expectedVersion,
      );
      return {};
    },
    'people.edit': (r) => {
      const { person, expectedVersion, ...changes } = r;
      return {
        name: editPerson(ctx.session(), person, definedOnly(changes), expectedVersion).value.name,
      };
    },
    'people.retire': (r) => {
      const { value } = retirePerson(
        ctx.session(),
        r.person,
        definedOnly({ reason: r.reason, on: r.on }),
      );
      return { name: value.name, retiredOn: value.retiredOn ?? '' };
    },
  };
}

/** What the People view shows for a person's 11.1 status, in words. */
function trainingSummary(status: TrainingStatus | undefined, masterclassOn: string | undefined) {
  if (status === undefined || status.status === 'no-access') {
    return {
      status: 'no-access' as const,
      severity: null,
      summary: masterclassOn
        ? 'No account access yet; masterclass done.'
        : 'No account access yet; the masterclass comes before first use (11.1).',
    };
  }
  if (status.status === 'up-to-date') {
    return {
      status: 'up-to-date' as const,
      severity: null,
      summary: `Up to date; refresher due by ${status.refresherDue}.`,
    };
  }
  return {
    status: 'overdue' as const,
    severity: status.finding.severity,
    summary: status.finding.evidence,
  };
}
