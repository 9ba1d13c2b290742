import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { AwsServiceError } from '../core/errors';
import { JsonFileStore } from '../core/JsonFileStore';
import type { RequestContext, SandboxLogger } from '../core/types';
import {
  type QueryFields,
  readQueryMap,
  requireQueryField,
} from '../protocols/awsQuery';
import type { XmlValue } from '../protocols/xml';

interface TopicRecord {
  arn: string;
  name: string;
  attributes: Record<string, string>;
  createdAt: string;
}

interface SubscriptionRecord {
  arn: string;
  topicArn: string;
  protocol: string;
  endpoint: string;
}

/** A message published to a topic, kept so tests and people can read it. */
export interface PublishedMessage {
  messageId: string;
  topicArn: string;
  subject?: string;
  message: string;
  publishedAt: string;
  /** Endpoints of the topic's subscriptions at publish time. */
  deliveredTo: string[];
}

const TOPIC_NAME = /^[A-Za-z0-9_-]{1,256}$/;
const PROTOCOLS = [
  'email',
  'email-json',
  'http',
  'https',
  'sqs',
  'lambda',
  'sms',
  'application',
  'firehose',
];

/**
 * Simple Notification Service (awsQuery): topics, subscriptions and Publish.
 * Nothing leaves the machine: each published message is stored in
 * `<dataDir>/sns/messages.jsonl` (one line each, appended) and logged with its subscribers.
 */
export class SnsService {
  private readonly topics: JsonFileStore<TopicRecord>;
  private readonly subscriptions: JsonFileStore<SubscriptionRecord>;
  private readonly messagesFile: string;
  private readonly messages: PublishedMessage[] = [];

  constructor(dataDir: string, private readonly logger: SandboxLogger) {
    const folder = path.join(dataDir, 'sns');
    this.topics = new JsonFileStore(path.join(folder, 'topics.json'));
    this.subscriptions = new JsonFileStore(
      path.join(folder, 'subscriptions.json'),
    );
    this.messagesFile = path.join(folder, 'messages.jsonl');
    if (fs.existsSync(this.messagesFile)) {
      for (const line of fs
        .readFileSync(this.messagesFile, 'utf8')
        .split('\n')) {
        try {
          if (line) this.messages.push(JSON.parse(line));
        } catch {
          // A line torn by a killed process: that publish never returned.
        }
      }
    }
  }

  /** Serves one awsQuery action and returns the content of `<ActionResult>`. */
  handleQuery(
    action: string,
    fields: QueryFields,
    context: RequestContext,
  ): XmlValue {
    switch (action) {
      case 'CreateTopic':
        return {
          TopicArn: this.createTopic(
            requireQueryField(fields, 'Name'),
            context,
            readQueryMap(fields, 'Attributes'),
          ),
        };
      case 'DeleteTopic':
        this.deleteTopic(requireQueryField(fields, 'TopicArn'));
        return {};
      case 'ListTopics':
        return { Topics: this.topics.values().map(t => ({ TopicArn: t.arn })) };
      case 'GetTopicAttributes':
        return {
          Attributes: this.topicAttributes(
            requireQueryField(fields, 'TopicArn'),
          ),
        };
      case 'Subscribe':
        return {
          SubscriptionArn: this.subscribe(
            requireQueryField(fields, 'TopicArn'),
            requireQueryField(fields, 'Protocol'),
            fields.Endpoint ?? '',
          ),
        };
      case 'Unsubscribe':
        this.unsubscribe(requireQueryField(fields, 'SubscriptionArn'));
        return {};
      case 'ListSubscriptions':
        return {
          Subscriptions: this.subscriptions
            .values()
            .map(s => this.subscriptionToWire(s, context)),
        };
      case 'ListSubscriptionsByTopic': {
        const topicArn = requireQueryField(fields, 'TopicArn');
        this.requireTopic(topicArn);
        return {
          Subscriptions: this.subscriptions
            .values()
            .filter(s => s.topicArn === topicArn)
            .map(s => this.subscriptionToWire(s, context)),
        };
      }
      case 'Publish':
        return {
          MessageId: this.publish(
            requireQueryField(fields, 'TopicArn'),
            requireQueryField(fields, 'Message'),
            fields.Subject,
          ),
        };
      default:
        throw new AwsServiceError(
          'InvalidAction',
          `The sandbox's SNS does not support the action ${action}. Supported: CreateTopic, DeleteTopic, ListTopics, GetTopicAttributes, Subscribe, Unsubscribe, ListSubscriptions, ListSubscriptionsByTopic, Publish`,
        );
    }
  }

  /** Creates a topic, or returns the existing one of that name as SNS does. */
  createTopic(
    name: string,
    context: RequestContext,
    attributes: Record<string, string> = {},
  ): string {
    if (!TOPIC_NAME.test(name)) {
      throw new AwsServiceError(
        'InvalidParameter',
        `Invalid parameter: Topic Name "${name}" must be 1 to 256 characters from A-Z, a-z, 0-9, hyphens and underscores`,
      );
    }
    const arn = `arn:aws:sns:${context.region}:${context.accountId}:${name}`;
    if (!this.topics.has(arn)) {
      this.topics.set(arn, {
        arn,
        name,
        attributes,
        createdAt: new Date().toISOString(),
      });
      this.logger.info(`SNS topic ${arn} created`);
    }
    return arn;
  }

  hasTopic(arn: string): boolean {
    return this.topics.has(arn);
  }

  deleteTopic(arn: string): void {
    this.topics.delete(arn);
    for (const subscription of this.subscriptions.values()) {
      if (subscription.topicArn === arn) {
        this.subscriptions.delete(subscription.arn);
      }
    }
  }

  subscribe(topicArn: string, protocol: string, endpoint: string): string {
    this.requireTopic(topicArn);
    if (!PROTOCOLS.includes(protocol)) {
      throw new AwsServiceError(
        'InvalidParameter',
        `Invalid parameter: Protocol "${protocol}" is not one of ${PROTOCOLS.join(
          ', ',
        )}`,
      );
    }
    if (protocol.startsWith('email') && !/^[^@\s]+@[^@\s]+$/.test(endpoint)) {
      throw new AwsServiceError(
        'InvalidParameter',
        `Invalid parameter: Email address "${endpoint}" is not a valid address`,
      );
    }
    const existing = this.subscriptions
      .values()
      .find(
        s =>
          s.topicArn === topicArn &&
          s.protocol === protocol &&
          s.endpoint === endpoint,
      );
    if (existing) {
      return existing.arn;
    }
    // NOTE: AWS waits for an email subscriber to confirm; the sandbox sends
    // no email, so it treats every subscription as confirmed.
    const arn = `${topicArn}:${randomUUID()}`;
    this.subscriptions.set(arn, { arn, topicArn, protocol, endpoint });
    this.logger.info(
      `SNS subscription ${arn} (${protocol} ${endpoint}) created`,
    );
    return arn;
  }

  unsubscribe(subscriptionArn: string): void {
    this.subscriptions.delete(subscriptionArn);
  }

  /** Stores and logs a message; returns its MessageId. */
  publish(topicArn: string, message: string, subject?: string): string {
    this.requireTopic(topicArn);
    if (message.length === 0) {
      throw new AwsServiceError(
        'InvalidParameter',
        'Invalid parameter: Empty message. Publish a non-empty Message.',
      );
    }
    const deliveredTo = this.subscriptions
      .values()
      .filter(s => s.topicArn === topicArn)
      .map(s => `${s.protocol}:${s.endpoint}`);
    const record: PublishedMessage = {
      messageId: randomUUID(),
      topicArn,
      subject,
      message,
      publishedAt: new Date().toISOString(),
      deliveredTo,
    };
    fs.appendFileSync(this.messagesFile, `${JSON.stringify(record)}\n`);
    this.messages.push(record);
    this.logger.info(
      `SNS message ${record.messageId} published to ${topicArn} for ${
        deliveredTo.length
      } subscriber(s): ${subject ? `${subject}: ` : ''}${message.slice(
        0,
        200,
      )}`,
    );
    return record.messageId;
  }

  /** Returns the published messages, oldest first, optionally of one topic. */
  listMessages(topicArn?: string): PublishedMessage[] {
    // Appended in publish order, so the list is already oldest first.
    return this.messages.filter(m => !topicArn || m.topicArn === topicArn);
  }

  private topicAttributes(arn: string): XmlValue {
    const topic = this.requireTopic(arn);
    const attributes: Record<string, string> = {
      ...topic.attributes,
      TopicArn: topic.arn,
      SubscriptionsConfirmed: String(
        this.subscriptions.values().filter(s => s.topicArn === arn).length,
      ),
      SubscriptionsPending: '0',
    };
    return {
      entry: Object.entries(attributes).map(([key, value]) => ({ key, value })),
    };
  }

  private requireTopic(arn: string): TopicRecord {
    const topic = this.topics.get(arn);
    if (!topic) {
      throw new AwsServiceError(
        'NotFound',
        `Topic does not exist: ${arn}. Create it first with CreateTopic.`,
        404,
      );
    }
    return topic;
  }

  private subscriptionToWire(
    subscription: SubscriptionRecord,
    context: RequestContext,
  ): XmlValue {
    return {
      SubscriptionArn: subscription.arn,
      Owner: context.accountId,
      Protocol: subscription.protocol,
      Endpoint: subscription.endpoint,
      TopicArn: subscription.topicArn,
    };
  }
}
