/**
 * The official Mercado Pago Node SDK (`mercadopago` on npm), unchanged, against the simulator: its
 * `Point` client runs every call it has (devices, operating mode, create/read/cancel an intent, an
 * intent's last event, the events listing) and its `Order` client creates, reads and cancels a
 * Point order. If the simulator drifted from the real API's paths, verbs or shapes, the SDK's own
 * requests would stop working here.
 *
 * How it reaches the simulator: the SDK has no base-URL option. Every request goes through
 * `RestClient.fetch`, which builds `${AppConfig.BASE_URL}${endpoint}` from a static field of its
 * config module (dist/utils/config, `BASE_URL = 'https://api.mercadopago.com'`). The test points
 * that one field at the simulator for its duration and puts it back after; nothing else of the SDK is
 * touched (its headers, idempotency keys, retries and error mapping all run as shipped).
 */
import MercadoPagoConfig, { MercadoPagoError, Order, Point } from 'mercadopago';
import type { OrderCreateData } from 'mercadopago/dist/clients/order/create/types';
import { AppConfig } from 'mercadopago/dist/utils/config';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { INTENT_DEVICE, MLA, openKit, ORDER_TERMINAL, STEPPED, type Kit } from './test-kit';

const REAL_BASE_URL = AppConfig.BASE_URL;
/** The field is `static readonly` in the SDK's typings only; at run time it is a plain property. */
const setBaseUrl = (url: string) => {
  (AppConfig as unknown as { BASE_URL: string }).BASE_URL = url;
};

describe('the official Node SDK runs unchanged against the simulator', () => {
  let k: Kit;
  let point: Point;
  let order: Order;

  beforeAll(async () => {
    // Manual clock, 100 ms steps: an intent stays OPEN (cancellable) until the test advances.
    k = await openKit({ timing: STEPPED, manualClock: true });
    setBaseUrl(k.sim.baseUrl);
    const config = new MercadoPagoConfig({ accessToken: MLA.token, options: { timeout: 5000 } });
    point = new Point(config);
    order = new Order(config);
  });
  afterAll(async () => {
    setBaseUrl(REAL_BASE_URL);
    await k.close();
  });
  beforeEach(async () => {
    await k.control.reset();
    await k.control.clock({ mode: 'manual' });
    await k.control.faults({ readsPerSecond: null });
  });

  it('Point: lists devices (also filtered) and changes the operating mode', async () => {
    const all = await point.getDevices({ request: {} });
    expect(all.api_response.status).toBe(200);
    expect(all.devices?.map((d) => (d as unknown as { id: string }).id)).toContain(INTENT_DEVICE);
    expect(all.paging).toMatchObject({ total: 3, offset: 0, limit: 50 });
    const filtered = await point.getDevices({ request: { options: { store_id: '45601', pos_id: '1231' } } });
    expect(filtered.devices?.map((d) => (d as unknown as { id: string }).id)).toEqual([INTENT_DEVICE]);

    const mode = await point.changeDeviceOperatingMode({ device_id: INTENT_DEVICE, request: { operating_mode: 'STANDALONE' } });
    expect(mode).toMatchObject({ operating_mode: 'STANDALONE', api_response: { status: 200 } });
    expect((await k.control.terminal(INTENT_DEVICE)).mode).toBe('STANDALONE');
  });

  it('Point: creates, reads and cancels an intent; reads its last event and the events listing', async () => {
    const created = await point.createPaymentIntent({
      device_id: INTENT_DEVICE,
      request: { amount: 1500, description: 'SDK conformance', additional_info: { external_reference: 'sdk-1', print_on_terminal: true } },
    });
    expect(created).toMatchObject({ device_id: INTENT_DEVICE, amount: 1500, payment_mode: 'card', api_response: { status: 201 } });
    const id = created.id!;
    // The SDK sent its own idempotency key with the write.
    const [request] = await k.control.requests();
    expect(request).toMatchObject({ method: 'POST', idempotencyKey: expect.any(String), status: 201 });

    expect(await point.searchPaymentIntent({ payment_intent_id: id })).toMatchObject({ id, state: 'OPEN', amount: 1500 });
    expect(await point.cancelPaymentIntent({ device_id: INTENT_DEVICE, payment_intent_id: id })).toMatchObject({ id });
    expect(await point.getPaymentIntentStatus({ payment_intent_id: id })).toMatchObject({ status: 'CANCELED', created_on: expect.any(String) });

    const paid = await point.createPaymentIntent({ device_id: INTENT_DEVICE, request: { amount: 2000, additional_info: { external_reference: 'sdk-2' } } });
    await k.control.advance(300); // to the terminal, card, processing
    const read = await point.searchPaymentIntent({ payment_intent_id: paid.id! });
    expect(read).toMatchObject({ state: 'FINISHED', payment: { id: expect.any(Number) } });

    const today = (await fetch(`${k.sim.baseUrl}/__sim/info`).then((r) => r.json())).clock.now.slice(0, 10) as string;
    const list = await point.getPaymentIntentList({ body: { options: { startDate: today, endDate: today } } });
    expect(list.events?.map((e) => [e.payment_intent_id, e.status]).sort()).toEqual([[id, 'CANCELED'], [paid.id, 'FINISHED']].sort());
  });

  it("Point: the API's refusals reach the SDK as its typed errors", async () => {
    await point.createPaymentIntent({ device_id: INTENT_DEVICE, request: { amount: 1500 } });
    const busy = await point.createPaymentIntent({ device_id: INTENT_DEVICE, request: { amount: 1500 } }).catch((e: unknown) => e);
    expect(busy).toBeInstanceOf(MercadoPagoError);
    expect((busy as MercadoPagoError).status).toBe(409);
    const tooSmall = await point.createPaymentIntent({ device_id: 'PAX_A910__SMARTPOS1234567891', request: { amount: 499 } }).catch((e: unknown) => e);
    expect((tooSmall as MercadoPagoError).status).toBe(400);
  });

  it('Order: creates a Point order, reads it and cancels it', async () => {
    // The SDK's request type models online orders only; a Point order's `config.point` is sent as is.
    const body = {
      type: 'point',
      external_reference: 'sdk-order-1',
      transactions: { payments: [{ amount: '15.00' }] },
      config: { point: { terminal_id: ORDER_TERMINAL, print_on_terminal: 'no_ticket' } },
    } as unknown as OrderCreateData['body'];
    // No explicit idempotencyKey: the SDK merges requestOptions into its shared config, so a key given
    // here would stick to every later call of that config (the cancel below would then reuse it and
    // get 409 idempotency_key_already_used, from the simulator as from Mercado Pago).
    const created = await order.create({ body });
    expect(created).toMatchObject({ status: 'created', external_reference: 'sdk-order-1', api_response: { status: 201 } });
    expect(created.integration_data?.application_id).toMatch(/^\d+$/);
    expect(await order.get({ id: created.id! })).toMatchObject({ id: created.id, status: 'created' });
    const canceled = await order.cancel({ id: created.id! });
    expect(canceled).toMatchObject({ id: created.id, status: 'canceled', api_response: { status: 200 } });
  });
});
