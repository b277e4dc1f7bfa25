import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { Guideline } from '../../shared/guideline';
import { RationaleTemplate } from '../../shared/rationale';
import { Taxonomy } from '../../shared/taxonomy';
import { requireCaller } from '../auth/guard';
import type { AppContext } from '../context';
import { listUsers, setWellbeing } from '../db/admin';
import { HttpError, parseOr400 } from '../errors';
import { WellbeingPatch } from '../../shared/wellbeing';
import { Id } from '../../shared/task';
import { publishAudited } from '../training/publish-config';

export const ADMIN_PATHS = {
  config: '/v1/admin/config',
  users: '/v1/admin/users',
  /** POST WellbeingPatch: a project's exposure caps and break reminder (docs/wellbeing.md) */
  wellbeing: '/v1/admin/projects/:projectId/wellbeing',
} as const;

const ConfigBody = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('taxonomy'), doc: Taxonomy }),
  z.strictObject({ kind: z.literal('template'), doc: RationaleTemplate }),
  z.strictObject({ kind: z.literal('guideline'), doc: Guideline }),
]);

export function registerAdminRoutes(app: FastifyInstance, ctx: AppContext): void {
  /**
   * publishes a taxonomy, rationale template or guideline to every workstation (a broadcast change);
   * a guideline's new major version also calls its certificates in for re-certification
   */
  app.post(ADMIN_PATHS.config, { config: { roles: ['admin'] } }, async (request) => {
    const doc = parseOr400(ConfigBody, request.body);
    const caller = requireCaller(request);
    await ctx.writes.run((trx) => publishAudited(trx, caller, doc, ctx.clock()));
    return { ok: true };
  });
  app.get(ADMIN_PATHS.users, { config: { roles: ['admin'] } }, async () => ({
    users: await listUsers(ctx.sdb.db),
  }));
  /** an admin changes a project's exposure caps or break reminder, audited as the CLI's `project set` */
  app.post(ADMIN_PATHS.wellbeing, { config: { roles: ['admin'] } }, async (request) => {
    const { projectId } = parseOr400(z.strictObject({ projectId: Id }), request.params);
    const patch = parseOr400(WellbeingPatch, request.body);
    const caller = requireCaller(request);
    const now = await ctx.writes.run((trx) => setWellbeing(trx, projectId, patch, caller));
    if (now === null) throw new HttpError(404, 'not-found', `no project "${projectId}"`);
    return { projectId, ...now };
  });
}
