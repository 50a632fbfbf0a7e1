// A CRM integration written outside .NET, against the CustomerSuccess CRM feed's public contract only:
// - binds a queue to the `customersuccess.integration` exchange and reads every CloudEvent from it;
// - receives webhooks and verifies each with the Standard Webhooks reference library;
// - parses both with the CloudEvents SDK, de-duplicates by event id (the same on every channel and every retry),
//   drops an event older than one already applied (the `sequence` extension, per customer and type),
//   and prints the task a CRM would open.
//
//   node crm.js [--amqp URL] [--queue NAME] [--port N] [--secret whsec_...] [--max N | --once] [--timeout SECONDS]
//
// Environment: AMQP_URL, CRM_QUEUE, WEBHOOK_PORT, WEBHOOK_SECRET (the values the flags default to).
// With --max it exits 0 after N distinct events, or 2 when --timeout passes first.
import http from 'node:http';
import amqp from 'amqplib';
import { HTTP } from 'cloudevents';
import { Webhook } from 'standardwebhooks';

const EXCHANGE = 'customersuccess.integration';

function options(argv) {
  const flag = (name, fallback) => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 && i + 1 < argv.length ? argv[i + 1] : fallback;
  };
  return {
    amqpUrl: flag('amqp', process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672/'),
    queue: flag('queue', process.env.CRM_QUEUE ?? 'crm-sample'),
    port: Number(flag('port', process.env.WEBHOOK_PORT ?? '8088')),
    secret: flag('secret', process.env.WEBHOOK_SECRET ?? ''),
    max: argv.includes('--once') ? 1 : Number(flag('max', '0')),
    timeoutSeconds: Number(flag('timeout', '0')),
  };
}

/** What a CRM does with an event: a task for the owner when risk is high, a note otherwise. */
export function crmAction(event) {
  const d = event.data ?? {};
  switch (event.type) {
    case 'customersuccess.risk.changed.v1': {
      const reasons = (d.reasons ?? []).map((r) => r.text).join('; ') || 'no reason given';
      const renewal = d.daysToRenewal == null ? '' : ` (renewal in ${d.daysToRenewal} days${d.arr == null ? '' : `, ARR ${d.arr} ${d.currency ?? ''}`.trimEnd()})`;
      return d.level === 'high' || d.level === 'critical'
        ? `open a task for ${d.owner ?? 'the account team'}: ${d.customerId} risk ${d.level} — ${reasons}${renewal}`
        : `note on ${d.customerId}: risk ${d.previousLevel ?? 'unknown'} → ${d.level}`;
    }
    case 'customersuccess.health.changed.v1':
      return `note on ${d.customerId}: health ${d.score} (${d.band}, ${d.quadrant}, ${d.trend})`;
    case 'customersuccess.stage.changed.v1':
      return `note on ${d.customerId}: stage ${d.previousStage ?? 'new'} → ${d.stage}`;
    case 'customersuccess.tier.changed.v1':
      return `note on ${d.customerId}: tier ${d.previousTier ?? 'new'} → ${d.tier}${d.pinned ? ' (pinned)' : ''}`;
    case 'customersuccess.renewal.window_opened.v1':
      return `open a task for the account team: prepare the renewal of ${d.customerId} (contract ${d.contractId} ends ${d.endsOn})`;
    case 'customersuccess.webhook.disabled.v1':
      return `alert the integration owner: webhook ${d.webhookId} disabled — ${d.reason}`;
    case 'customersuccess.webhook.test.v1':
      return `webhook ${d.webhookId} verified: ${d.message}`;
    default:
      return `ignored unknown type ${event.type}`;
  }
}

export class Crm {
  constructor(log = console.log) {
    this.seen = new Set();
    this.lastSequence = new Map();
    this.applied = 0;
    this.log = log;
  }

  /** Applies one CloudEvent once, whichever channel brought it; returns true when it was new. */
  receive(event, channel) {
    if (this.seen.has(event.id)) {
      this.log(`duplicate ${event.id} via ${channel}: already applied`);
      return false;
    }
    this.seen.add(event.id);
    const key = `${event.subject}|${event.type}`;
    const last = this.lastSequence.get(key);
    if (event.sequence !== undefined && last !== undefined && String(event.sequence) <= last) {
      this.log(`stale ${event.id} via ${channel}: sequence ${event.sequence} is not after ${last}`);
      return false;
    }
    if (event.sequence !== undefined) this.lastSequence.set(key, String(event.sequence));
    this.applied++;
    this.log(`${channel} ${event.id} ${event.type}: ${crmAction(event)}`);
    return true;
  }
}

async function main() {
  const o = options(process.argv.slice(2));
  const crm = new Crm();
  let finish;
  const done = new Promise((resolve) => { finish = resolve; });
  const check = () => { if (o.max > 0 && crm.seen.size >= o.max) finish(0); };

  const connection = await amqp.connect(o.amqpUrl);
  const channel = await connection.createChannel();
  await channel.assertExchange(EXCHANGE, 'topic', { durable: true });
  await channel.assertQueue(o.queue, { durable: true });
  await channel.bindQueue(o.queue, EXCHANGE, 'customersuccess.#');
  await channel.consume(o.queue, (message) => {
    try {
      const event = HTTP.toEvent({ headers: { 'content-type': message.properties.contentType }, body: message.content.toString('utf8') });
      crm.receive(event, 'amqp');
    } catch (error) {
      console.error(`rejected a message that is not a CloudEvent: ${error.message}`);
    }
    // Acknowledged after applying: a crash before it redelivers, and the id check makes that harmless.
    channel.ack(message);
    check();
  });
  console.log(`bound queue ${o.queue} to ${EXCHANGE} (customersuccess.#)`);

  const webhook = o.secret ? new Webhook(o.secret) : null;
  const server = http.createServer((request, response) => {
    const chunks = [];
    request.on('data', (chunk) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      try {
        if (!webhook) throw new Error('no WEBHOOK_SECRET configured');
        webhook.verify(body, request.headers);
      } catch (error) {
        console.error(`refused webhook ${request.headers['webhook-id'] ?? '?'}: ${error.message}`);
        response.writeHead(400).end();
        return;
      }
      try {
        const event = HTTP.toEvent({ headers: { 'content-type': request.headers['content-type'] }, body });
        crm.receive(event, 'webhook');
        response.writeHead(204).end();
      } catch (error) {
        console.error(`webhook ${request.headers['webhook-id']} is not a CloudEvent: ${error.message}`);
        response.writeHead(400).end();
      }
      check();
    });
  });
  await new Promise((resolve) => server.listen(o.port, '127.0.0.1', resolve));
  console.log(`webhook receiver listening on http://127.0.0.1:${server.address().port}/webhooks`);

  let timer;
  if (o.timeoutSeconds > 0) timer = setTimeout(() => finish(2), o.timeoutSeconds * 1000);
  const stop = () => finish(0);
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);

  const code = await done;
  clearTimeout(timer);
  if (code !== 0) console.error(`timed out after ${o.timeoutSeconds} s with ${crm.seen.size} of ${o.max} events`);
  server.close();
  await channel.close().catch(() => {});
  await connection.close().catch(() => {});
  process.exit(code);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((error) => {
    console.error(error.message);
    process.exit(1);
  });
}
