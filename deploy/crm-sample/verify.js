// Verifies webhook deliveries with the Standard Webhooks reference library, for the CRM feed's tests and for
// integrators checking a captured delivery:
//   echo '{"cases":[{"name":"…","secret":"whsec_…","id":"…","timestamp":"…","signature":"v1,…","body":"…"}]}' | node verify.js
// Prints {"<name>": true|false, …}: true when the library accepts the delivery now (5-minute timestamp tolerance).
import { Webhook } from 'standardwebhooks';

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const { cases } = JSON.parse(Buffer.concat(chunks).toString('utf8'));
const results = {};
for (const c of cases) {
  try {
    new Webhook(c.secret).verify(c.body, { 'webhook-id': c.id, 'webhook-timestamp': c.timestamp, 'webhook-signature': c.signature });
    results[c.name] = true;
  } catch {
    results[c.name] = false;
  }
}
console.log(JSON.stringify(results));
