import { DEAD_LETTER_RETENTION_MS, TopicDefinitions } from '@settle/contracts';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { BASE_TOPICS_FILE, kafkaTopicFiles, topicSpecs } from '../tools/generate-kafka-topics';
import { repoRoot } from './rendered';

describe('KafkaTopic resources generated from the contracts', () => {
  it('are committed as deploy/tools/generate-kafka-topics.ts writes them (else: node -r @swc-node/register deploy/tools/generate-kafka-topics.ts)', () => {
    const files = kafkaTopicFiles();
    expect(Object.keys(files).length).toBe(2);
    for (const [path, content] of Object.entries(files)) {
      expect({ path, content: readFileSync(join(repoRoot, path), 'utf8') }).toEqual({ path, content });
    }
  });

  it('name every topic of TopicDefinitions and its .dlt, with the partitions and retention of the contract', () => {
    const topics = parseAllDocuments(kafkaTopicFiles()[BASE_TOPICS_FILE]!).map((d) => d.toJS());
    expect(topics).toHaveLength(TopicDefinitions.length * 2);
    for (const definition of TopicDefinitions) {
      const topic = topics.find((t) => t.spec.topicName === definition.name);
      const deadLetters = topics.find((t) => t.spec.topicName === `${definition.name}.dlt`);
      expect({ partitions: topic.spec.partitions, retention: topic.spec.config['retention.ms'] }).toEqual({ partitions: definition.partitions, retention: definition.retentionMs });
      expect({ partitions: deadLetters.spec.partitions, retention: deadLetters.spec.config['retention.ms'] }).toEqual({ partitions: definition.partitions, retention: DEAD_LETTER_RETENTION_MS });
    }
    expect(topicSpecs().map((t) => t.name)).toEqual(topics.map((t) => t.metadata.name));
  });
});
