import { accountLabel } from '../../../shared/domain/accounts.ts';
import { openAccountProfile, resolveAccount } from '../domain/accounts.ts';
import {
  closeComplaint,
  listComplaints,
  openReferrals,
  recordComplaint,
  recordReferralOutcome,
  referComplaint,
  type ComplaintRecord,
} from '../domain/complaints.ts';
import type { VaultSession } from '../session.ts';
import { definedOnly, type HandlerContext, type Handlers } from './types.ts';

/** Complaints and breaches (6.4): recorded, referred, their outcomes, closed. */
export function complaintsHandlers(ctx: HandlerContext): Handlers<'complaints'> {
  return {
    'complaints.record': (r) => ({ id: recordComplaint(ctx.session(), definedOnly(r)).id }),
    'complaints.refer': (r) => {
      referComplaint(ctx.session(), definedOnly(r));
      return {};
    },
    'complaints.outcome': (r) => {
      recordReferralOutcome(ctx.session(), definedOnly(r));
      return {};
    },
    'complaints.close': (r) => {
      closeComplaint(ctx.session(), definedOnly(r));
      return {};
    },
    'complaints.list': (r) => {
      const session = ctx.session();
      const label = labeller(session);
      return listComplaints(session, definedOnly(r)).map((c) => complaintView(c, label));
    },
  };
}

export function complaintView(complaint: ComplaintRecord, label: (id: string) => string) {
  return {
    ...complaint.value,
    id: complaint.id,
    version: complaint.version,
    accountId: complaint.clear.account_id,
    account: label(complaint.clear.account_id),
    receivedOn: complaint.clear.received_on,
    closedOn: complaint.clear.closed_on,
    openReferrals: openReferrals(complaint).length,
  };
}

/** Account ids named once each (a list of many complaints names an account many times). */
export function labeller(session: VaultSession): (id: string) => string {
  const known = new Map<string, string>();
  return (id) => {
    let label = known.get(id);
    if (label === undefined) {
      try {
        label = accountLabel(openAccountProfile(session, resolveAccount(session, id)));
      } catch {
        label = id;
      }
      known.set(id, label);
    }
    return label;
  };
}
