/**
 * The till's side of the shop's webhooks: `LISTEN caja_webhook` (the shop server, electron/shop-server/,
 * notifies it for every new verified notification) and ask the engine to read the named charge at
 * once. A hint is never the truth: the engine reads the charge and the payment as a poll would, and a
 * hint for another till's charge or a finished sale matches nothing and is ignored. Without a receiver
 * (or while PostgreSQL is away) nothing arrives and the engine's polling carries on as it always does;
 * after a reconnect nothing needs catching up, since a poll covers whatever was missed.
 *
 * The receiver also publishes its public URL for this shop: the engine names it on phone charges,
 * whose payment notifications Mercado Pago sends only to a URL the create names.
 */
import { z } from 'zod';
import type { CheckoutEngine } from '../checkout/engine-api';
import { endpointOf, ENDPOINT_TOPIC, WEBHOOK_CHANNEL } from '../shop-server/store';
import type { ShopContext } from './shop-link';

const PayloadSchema = z.object({ shopId: z.string().optional(), topic: z.string().max(64), id: z.string().min(1).max(2000) });

export interface WebhookHints {
  stop(): Promise<void>;
  /** Hints received and how many of them matched a live attempt here (status, tests). */
  counts(): { received: number; matched: number };
}

export async function startWebhookHints(
  ctx: ShopContext,
  deps: { engine: Pick<CheckoutEngine, 'hint' | 'setNotificationUrl'> },
): Promise<WebhookHints> {
  const { engine } = deps;
  let received = 0;
  let matched = 0;
  let stopped = false;
  const readEndpoint = () =>
    endpointOf(ctx.db, ctx.shopId).then(
      (url) => {
        if (!stopped) engine.setNotificationUrl(url);
      },
      () => undefined, // the server went away again: the next reconnect reads it
    );
  const unlisten = await ctx.db.listen(
    WEBHOOK_CHANNEL,
    (raw) => {
      let payload: z.infer<typeof PayloadSchema>;
      try {
        payload = PayloadSchema.parse(JSON.parse(raw));
      } catch {
        ctx.log.warn('webhook hint ignored: unreadable payload');
        return;
      }
      if (payload.topic === ENDPOINT_TOPIC) {
        if (payload.shopId === ctx.shopId) void readEndpoint();
        return;
      }
      received++;
      engine.hint({ topic: payload.topic, resourceId: payload.id }).then(
        (n) => {
          if (n > 0) matched++;
        },
        (error: unknown) =>
          ctx.log.warn('webhook hint failed', {
            topic: payload.topic,
            error: error instanceof Error ? error.message : String(error),
          }),
      );
    },
    () => void readEndpoint(),
  );
  await readEndpoint();
  return {
    async stop() {
      stopped = true;
      engine.setNotificationUrl(null);
      await unlisten();
    },
    counts: () => ({ received, matched }),
  };
}
