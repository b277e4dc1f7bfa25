import type { FastifyInstance } from 'fastify';
import { SYNC_PATHS, WipeReport } from '../../shared/sync';
import type { AppContext } from '../context';
import { openWipe, recordWiped } from '../db/device-wipe';
import { HttpError, parseOr400 } from '../errors';
import { secretMatches } from './wipe';

/**
 * POST /v1/sync/wiped: a workstation reports that it carried out a wipe order. Its sessions are
 * gone, so the device secret proves it; an unknown device, a wrong secret and an order that is not
 * open all answer alike.
 */
export function registerWipeRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.post(SYNC_PATHS.wiped, { config: { roles: 'public' }, bodyLimit: 8 * 1024 }, async (request) => {
    const report = parseOr400(WipeReport, request.body);
    const notOpen = () => new HttpError(404, 'not-found', 'no open wipe order for this device');
    const order = await openWipe(ctx.sdb.db, report.deviceId);
    if (!order || order.orderId !== report.orderId || !secretMatches(order.secretHash, report.deviceSecret))
      throw notOpen();
    const at = ctx.clock().toISOString();
    const done = await ctx.writes.run((trx) => recordWiped(trx, report, at));
    if (!done) throw notOpen();
    request.log.info(
      { event: 'device-wiped', deviceId: report.deviceId, unsent: report.unsent },
      'device wiped',
    );
    return { ok: true };
  });
}
