/**
 * The till's side of the shop's webhooks: `LISTEN caja_webhook` (the shop server, electron/shop-server/,
 * notifies it for every new verified notification) and ask the engine to read the named charge at
 * once. A hint is never the truth: the engine reads the charge and the payment as a poll would, and a
 * hint for another till's charge or a finished sale matches nothing and is ignored. Without a receiver
 * (or while PostgreSQL is away) nothing arrives and the engine's polling carries on as it always does;
 * after a reconnect nothing needs catching up, since a poll covers whatever was missed.
 */
import { z } from 'zod';
import type { CheckoutEngine } from '../checkout/engine-api';
import { WEBHOOK_CHANNEL } from '../shop-server/store';
import type { ShopContext } from './shop-link';

const PayloadSchema = z.object({ shopId: z.string().optional(), topic: z.string().max(64), id: z.string().min(1).max(200) });

export interface WebhookHints {
  stop(): Promise<void>;
  /** Hints received and how many of them matched a live attempt here (status, tests). */
  counts(): { received: number; matched: number };
}

export async function startWebhookHints(ctx: ShopContext, deps: { engine: Pick<CheckoutEngine, 'hint'> }): Promise<WebhookHints> {
  let received = 0;
  let matched = 0;
  const unlisten = await ctx.db.listen(WEBHOOK_CHANNEL, (raw) => {
    let payload: z.infer<typeof PayloadSchema>;
    try {
      payload = PayloadSchema.parse(JSON.parse(raw));
    } catch {
      ctx.log.warn('webhook hint ignored: unreadable payload');
      return;
    }
    received++;
    deps.engine.hint({ topic: payload.topic, resourceId: payload.id }).then(
      (n) => {
        if (n > 0) matched++;
      },
      (error: unknown) =>
        ctx.log.warn('webhook hint failed', {
          topic: payload.topic,
          error: error instanceof Error ? error.message : String(error),
        }),
    );
  });
  return {
    stop: unlisten,
    counts: () => ({ received, matched }),
  };
}
