import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { Guideline } from '../../shared/guideline';
import { RationaleTemplate } from '../../shared/rationale';
import { Taxonomy } from '../../shared/taxonomy';
import { requireCaller } from '../auth/guard';
import type { AppContext } from '../context';
import { listUsers } from '../db/admin';
import { parseOr400 } from '../errors';
import { publishAudited } from '../training/publish-config';

export const ADMIN_PATHS = { config: '/v1/admin/config', users: '/v1/admin/users' } as const;

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
}
