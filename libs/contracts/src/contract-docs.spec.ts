/**
 * The documents of the contract against the code (docs/events.md,
 * "Compatibility rules"): every event type of the catalogue is in
 * docs/asyncapi.yaml on its topic's channel, with the payload's required
 * fields and the version of the zod schema and examples that the code
 * accepts, and in the tables of docs/events.md.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { z } from 'zod';
import { EventCatalog, type EventType, parseEnvelope } from './events.js';

interface Schema {
  $ref?: string;
  required?: string[];
  properties?: Record<string, Schema & { const?: unknown }>;
  allOf?: Schema[];
}
interface Message {
  name: string;
  payload: Schema;
  examples?: { payload: unknown }[];
}
interface AsyncApi {
  channels: Record<string, { address: string; messages: Record<string, { $ref: string }> }>;
  components: { messages: Record<string, Message>; schemas: Record<string, Schema> };
}

const asyncApi = parse(readFileSync('docs/asyncapi.yaml', 'utf8')) as AsyncApi;
const eventsMd = readFileSync('docs/events.md', 'utf8');
const types = Object.keys(EventCatalog) as EventType[];
const schemaAt = (ref: string) => asyncApi.components.schemas[ref.replace('#/components/schemas/', '')];

function messageOf(type: EventType): { key: string; message: Message } {
  const found = Object.entries(asyncApi.components.messages).find(([, message]) => message.name === type);
  if (!found) throw new Error(`docs/asyncapi.yaml has no message named ${type}`);
  return { key: found[0], message: found[1] };
}

/** The envelope properties a message pins (type, version, producer, data). */
function pinned(message: Message): Record<string, Schema & { const?: unknown }> {
  return Object.assign({}, ...(message.payload.allOf ?? []).map((part) => part.properties ?? {})) as Record<string, Schema & { const?: unknown }>;
}

describe('docs/asyncapi.yaml against libs/contracts', () => {
  it.each(types)('%s: its topic’s channel carries it, with the catalogue’s version', (type) => {
    const { key, message } = messageOf(type);
    const channels = Object.values(asyncApi.channels).filter((channel) => channel.address === EventCatalog[type].topic);
    expect(channels).toHaveLength(1);
    expect(Object.values(channels[0].messages).map((ref) => ref.$ref)).toContain(`#/components/messages/${key}`);
    expect(pinned(message).type.const).toBe(type);
    expect(pinned(message).version.const).toBe(EventCatalog[type].version);
  });

  it.each(types)('%s: the data schema requires exactly the fields of the zod schema', (type) => {
    const data = pinned(messageOf(type).message).data;
    const schema = data.$ref ? schemaAt(data.$ref) : data;
    const zodFields = Object.keys((EventCatalog[type].schema as unknown as z.ZodObject).shape);
    expect([...(schema.required ?? [])].sort()).toEqual(zodFields.sort());
  });

  it('has examples that are valid events of the code, of the message’s type', () => {
    const examples = types.flatMap((type) => (messageOf(type).message.examples ?? []).map((example) => ({ type, payload: example.payload })));
    expect(examples.length).toBeGreaterThanOrEqual(types.length / 2);
    for (const { type, payload } of examples) {
      expect(parseEnvelope(payload)).toMatchObject({ ok: true, known: true, envelope: { type } });
    }
  });

  it('has no event message the code does not know', () => {
    const names = Object.values(asyncApi.components.messages).map((message) => message.name).filter((name) => name !== 'dead-letter');
    expect(names.sort()).toEqual([...types].sort());
  });
});

/** The rows of the first table after the line of docs/events.md that contains `line`. */
function tableAfter(line: string): string[] {
  const lines = eventsMd.split('\n');
  const start = lines.findIndex((candidate) => candidate.includes(line));
  const rows: string[] = [];
  for (const candidate of lines.slice(start + 1)) {
    if (candidate.startsWith('|')) rows.push(candidate);
    else if (rows.length > 0) break;
  }
  return rows;
}

describe('docs/events.md against libs/contracts', () => {
  it.each(types)('%s: in the topics, the emitters and the payloads tables', (type) => {
    const topicRow = eventsMd.split('\n').find((line) => line.startsWith(`| \`${EventCatalog[type].topic}\` |`));
    expect(topicRow).toContain(`\`${type}\``);
    expect(tableAfter('When exactly:').some((row) => row.includes(`\`${type}\``))).toBe(true);
    const payloadRow = eventsMd.split('\n').find((line) => line.startsWith(`| \`${type}\` | \``));
    for (const field of Object.keys((EventCatalog[type].schema as unknown as z.ZodObject).shape)) expect(payloadRow).toContain(`\`${field}\``);
  });

  it('counts the event types it lists', () => {
    const words = ['', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven', 'twelve', 'thirteen', 'fourteen'];
    expect(eventsMd).toContain(`All ${words[types.length]} event types are emitted.`);
  });
});
