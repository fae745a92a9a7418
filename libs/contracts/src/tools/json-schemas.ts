import { z } from 'zod';
import { EventCatalog } from '../events/event-catalog';
import { EventDefinition } from '../events/define-event';
import { JobCatalog } from '../jobs/job-catalog';

/** The published JSON Schema (draft 2020-12) of one event's data. */
export function eventJsonSchema(def: EventDefinition): Record<string, unknown> {
  return {
    ...(z.toJSONSchema(def.schema) as Record<string, unknown>),
    $id: `urn:settle:event:${def.type}`,
    title: def.type,
    description: def.description,
    'x-kafka-topic': def.topic,
    'x-producer': def.producer,
  };
}

/** JSON Schema (draft 2020-12) of every event and job, keyed by file name. */
export function renderJsonSchemas(): Record<string, string> {
  const files: Record<string, string> = {};
  for (const def of EventCatalog) {
    files[`events/${def.type}.json`] = JSON.stringify(eventJsonSchema(def), null, 2) + '\n';
  }
  for (const def of JobCatalog) {
    const schema = {
      ...(z.toJSONSchema(def.schema) as Record<string, unknown>),
      $id: `urn:settle:job:${def.queue}:${def.name}.v${def.version}`,
      title: `${def.queue}/${def.name}.v${def.version}`,
      description: def.description,
    };
    files[`jobs/${def.queue}.${def.name}.v${def.version}.json`] = JSON.stringify(schema, null, 2) + '\n';
  }
  return files;
}
