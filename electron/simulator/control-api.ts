/**
 * The simulator's control API under `/__sim/`: how tests script faults and read what happened.
 * It exists only on the simulator; no production code path calls it. Schemas here are the single
 * definition shared by the server (which validates bodies with them) and by `SimControl`, the typed
 * client tests use.
 */
import { z } from 'zod';

/** Which requests a one-shot fault applies to. Unset fields match everything (except `/__sim/`). */
export const RequestMatchSchema = z
  .object({
    method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']).optional(),
    /**
     * The whole path (without query string), exactly, or a simple glob where `*` stands for any run
     * of characters: `/v1/orders`; `*` followed by `/payment-intents`; `/v1/orders/` `*` `/cancel`.
     * Never a regular expression: the control API takes no pattern language that could backtrack.
     */
    path: z
      .string()
      .max(200)
      .regex(/^[A-Za-z0-9_.~/*:@!$&'()+,;=%-]+$/, 'path must be an exact path or a glob with *, e.g. "*/payment-intents"')
      .refine((p) => p.startsWith('/') || p.startsWith('*'), 'path must start with "/" or "*"')
      .optional(),
  })
  .strict();
export type RequestMatch = z.infer<typeof RequestMatchSchema>;

export const FaultPlanSchema = z
  .object({
    /** Added to every answer. */
    latencyMs: z.number().int().min(0).max(60_000).optional(),
    /**
     * Per-resource read limit of every read family at once (intents, orders, payments, mobile):
     * reading one resource more often than this answers 429 with `Retry-After`. `null`: no limit.
     */
    readsPerSecond: z.number().min(0.1).max(1000).nullable().optional(),
    /**
     * Per-family read limits (reads per second of one resource; `null` switches a family off),
     * merged over `readsPerSecond`. Default 1/s for every family: see docs/simulator.md.
     */
    readLimits: z
      .object({
        intents: z.number().min(0.1).max(1000).nullable().optional(),
        orders: z.number().min(0.1).max(1000).nullable().optional(),
        payments: z.number().min(0.1).max(1000).nullable().optional(),
        mobile: z.number().min(0.1).max(1000).nullable().optional(),
      })
      .strict()
      .optional(),
    /** The next `count` matching requests answer `status` without doing anything. */
    failNext: z
      .object({ count: z.number().int().min(1).max(1000), status: z.number().int().min(400).max(599), match: RequestMatchSchema.optional() })
      .strict()
      .optional(),
    /** The next `count` matching requests get their connection destroyed before being handled. */
    dropNext: z.object({ count: z.number().int().min(1).max(1000), match: RequestMatchSchema.optional() }).strict().optional(),
    /**
     * The next `count` matching requests are fully handled (a charge IS created) and then their
     * connection is destroyed: the client sees a network error after the server-side effect.
     */
    loseResponseNext: z
      .object({ count: z.number().int().min(1).max(1000), match: RequestMatchSchema.optional() })
      .strict()
      .optional(),
  })
  .strict();
export type FaultPlan = z.infer<typeof FaultPlanSchema>;

export const TimingSchema = z
  .object({
    /** Queued (OPEN/created) → shown on the terminal (ON_TERMINAL/at_terminal). */
    toTerminalMs: z.number().int().min(0).max(600_000).optional(),
    /** In `auto` customer mode: how long the customer takes to present the card. */
    customerMs: z.number().int().min(0).max(600_000).optional(),
    /** Card read (PROCESSING) → finished. */
    processingMs: z.number().int().min(0).max(600_000).optional(),
    /** `auto`: the customer acts by the outcome-by-amount table; `manual`: only control calls or the terminal page act. */
    customer: z.enum(['auto', 'manual']).optional(),
    // ---- the real world's surprises (docs/simulator.md "What a client must survive") ----------
    /**
     * An intent nobody pays becomes ABANDONED this long after its create (Mercado Pago: 15 min since
     * July 2024, "Reduced time for abandoned intents in Point"). `null`: never.
     */
    intentAbandonMs: z.number().int().min(0).max(24 * 3600_000).nullable().optional(),
    /** A mobile order nobody pays closes without a payment this long after its create. `null`: never. */
    mobileExpireMs: z.number().int().min(0).max(24 * 3600_000).nullable().optional(),
    /** An `in_process` payment is approved (or rejected) this long after it was created. */
    inProcessSettleMs: z.number().int().min(0).max(24 * 3600_000).optional(),
    /** `/v1/payments/search` finds a new payment only this long after its creation (GET by id at once). */
    searchDelayMs: z.number().int().min(0).max(600_000).optional(),
    /** An asynchronous cancel at the terminal (`202`) is confirmed by the terminal this long later. */
    cancelConfirmMs: z.number().int().min(0).max(600_000).optional(),
    /** After a declined card, intents and mobile orders stay live so the customer can try another card. */
    declineRetry: z.boolean().optional(),
    /**
     * Orders: a card still being processed this long after processing started turns the order
     * `action_required` for good (Mercado Pago's order diagram: "after 40 s of processing start").
     * `null`: never.
     */
    actionRequiredAfterMs: z.number().int().min(0).max(600_000).nullable().optional(),
  })
  .strict();
export type Timing = z.infer<typeof TimingSchema>;

/** What the customer does at the terminal. */
export const CustomerActionSchema = z
  .object({
    action: z.enum(['present_card', 'approve', 'reject', 'abandon', 'confirmation_required', 'in_process']),
    /** For reject: the payment's status_detail (default cc_rejected_other_reason). */
    statusDetail: z.string().max(80).optional(),
    /**
     * For reject: the customer tries another card on the same charge (where the family allows it and
     * `declineRetry` is on) instead of giving up. Default false.
     */
    retry: z.boolean().optional(),
    /** For confirmation_required: the payment the uncertain charge carries (default approved). */
    payment: z.enum(['approved', 'pending', 'none']).optional(),
    /** For in_process: what the payment becomes after `inProcessSettleMs` (default approved). */
    settle: z.enum(['approved', 'rejected']).optional(),
  })
  .strict();
export type CustomerAction = z.infer<typeof CustomerActionSchema>;

export const ClockSchema = z
  .union([
    z.object({ mode: z.enum(['real', 'manual']) }).strict(),
    z.object({ advanceMs: z.number().int().min(0).max(7 * 24 * 3600_000) }).strict(),
  ]);
export type ClockCommand = z.infer<typeof ClockSchema>;

export const RecordedRequestSchema = z.object({
  seq: z.number().int(),
  at: z.string(),
  method: z.string(),
  path: z.string(),
  query: z.record(z.string(), z.string()),
  userId: z.number().nullable(),
  idempotencyKey: z.string().nullable(),
  status: z.number().int().nullable(),
  body: z.unknown(),
});
export type RecordedRequest = z.infer<typeof RecordedRequestSchema>;

export const SimPaymentSchema = z.object({
  id: z.string(),
  userId: z.number(),
  family: z.enum(['intents', 'orders', 'mobile']),
  terminalId: z.string(),
  /** The intent id, order id, or mobile order id that produced it. */
  chargeId: z.string(),
  amountMinor: z.number().int(),
  site: z.string(),
  status: z.string(),
  statusDetail: z.string().nullable(),
  externalReference: z.string().nullable(),
  createdAt: z.string(),
  refunds: z.array(z.object({ id: z.string(), amountMinor: z.number().int() })),
});
export type SimPayment = z.infer<typeof SimPaymentSchema>;

export const SimTerminalSchema = z.object({
  id: z.string(),
  family: z.enum(['intents', 'orders', 'mobile']),
  userId: z.number(),
  mode: z.enum(['PDV', 'STANDALONE']).nullable(),
  online: z.boolean(),
  /** What the terminal's display shows now. */
  screen: z.enum(['idle', 'waiting_card', 'processing', 'result']),
  charge: z
    .object({ id: z.string(), amountMinor: z.number().int(), state: z.string(), description: z.string().nullable() })
    .nullable(),
  /** A card was declined on this charge and the terminal asks for another one. */
  retrying: z.boolean(),
  /** An asynchronous cancel was asked for and the terminal has not confirmed it yet. */
  canceling: z.boolean(),
});
export type SimTerminal = z.infer<typeof SimTerminalSchema>;

/**
 * A notification URL for one account, as a seller sets it in Mercado Pago's panel, with the secret
 * notifications are signed with. `url: null` removes it.
 */
export const WebhookRegistrationSchema = z.union([
  z
    .object({
      userId: z.number().int(),
      url: z
        .string()
        .max(2000)
        .url()
        .refine((u) => /^https?:\/\//i.test(u), 'url must be http:// or https://'),
      secret: z.string().min(1).max(200),
      /** Delay before each retry on the simulator clock; as many retries as entries (default 10 s, 1 min, 5 min, 15 min). */
      retryDelaysMs: z.array(z.number().int().min(0).max(24 * 3600_000)).max(10).optional(),
    })
    .strict(),
  z.object({ userId: z.number().int(), url: z.null() }).strict(),
]);
export type WebhookRegistrationInput = z.infer<typeof WebhookRegistrationSchema>;

export const WebhookDeliverySchema = z.object({
  seq: z.number().int(),
  userId: z.number(),
  url: z.string(),
  topic: z.enum(['order', 'point_integration_wh', 'payment']),
  dataId: z.string(),
  requestId: z.string(),
  body: z.unknown(),
  state: z.enum(['pending', 'delivered', 'failed']),
  attempts: z.array(z.object({ at: z.string(), status: z.number().int().nullable(), error: z.string().nullable() })),
});
export type WebhookDeliveryView = z.infer<typeof WebhookDeliverySchema>;

export const WebhooksViewSchema = z.object({
  webhooks: z.array(z.object({ userId: z.number(), url: z.string(), retryDelaysMs: z.array(z.number()) })),
  deliveries: z.array(WebhookDeliverySchema),
});
export type WebhooksView = z.infer<typeof WebhooksViewSchema>;

/**
 * Routes (all JSON; every write needs `Content-Type: application/json`, else 415):
 *   POST /__sim/reset                               → 204 back to seeds, default faults and timing
 *   GET  /__sim/requests?since=<seq>                → { requests: RecordedRequest[] }
 *   GET  /__sim/payments                            → { payments: SimPayment[] }
 *   GET  /__sim/terminals                           → { terminals: SimTerminal[] }
 *   POST /__sim/faults         FaultPlan            → 204 (merged into the current plan)
 *   POST /__sim/faults/clear                        → 204 (defaults again)
 *   POST /__sim/timing         Timing               → 204
 *   POST /__sim/clock          ClockCommand         → 204
 *   POST /__sim/terminals/{id}/online {online}      → 204 (offline: the terminal stops progressing and lists as offline/BUSY)
 *   POST /__sim/terminals/{id}/customer CustomerAction → 204, 409 when nothing is on that terminal
 *   POST /__sim/webhooks       WebhookRegistration  → 204 (url null: removed)
 *   GET  /__sim/webhooks                            → { webhooks (no secrets), deliveries: WebhookDelivery[] }
 *   GET  /__sim/screen                              → the terminal screen web page for people
 */
export const SIM_PREFIX = '/__sim';
