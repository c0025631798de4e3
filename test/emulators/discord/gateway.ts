/**
 * The Discord gateway as discord.js 14 (@discordjs/ws 1.x) meets it: HELLO, IDENTIFY, READY with
 * unavailable guild stubs and the application, one GUILD_CREATE per guild, heartbeats answered
 * with ACKs, and RESUME after a dropped connection, replaying what was missed. Sharded as Discord
 * shards: IDENTIFY carries `[shard_id, shard_count]`, and a session hears only about the guilds
 * whose `(guild_id >> 22) % shard_count` is its shard id; events without a guild go to shard 0.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';
import { shardOf, snowflake } from './snowflake.js';

/** `[shard_id, shard_count]`, as in IDENTIFY and READY. */
export type Shard = readonly [id: number, count: number];

interface Session {
  id: string;
  shard: Shard;
  seq: number;
  socket: WebSocket | undefined;
  /** Dispatches kept for a RESUME, newest last. */
  sent: { s: number; payload: string }[];
}

/** A session as tests see it. */
export interface SessionInfo {
  id: string;
  shard: Shard;
  /** Whether a connection is open on it now (a dropped one may still be resumed). */
  connected: boolean;
}

/** One IDENTIFY the bot sent, and how the gateway answered it. */
export interface Identify {
  at: number;
  /** What the bot asked for, as sent (`undefined` when it sent no `shard`). */
  shard: unknown;
  /** `ready`, or the close code it got. */
  outcome: 'ready' | number;
}

export interface GatewayGuild {
  id: string;
  toPayload(): Record<string, unknown>;
}

export interface GatewayHost {
  token: string;
  guilds(): readonly GatewayGuild[];
  readyPayload(
    session: { id: string; shard: Shard; guildIds: string[] },
    resumeUrl: string,
  ): Record<string, unknown>;
}

export class Gateway {
  readonly #wss = new WebSocketServer({ noServer: true });
  readonly #sessions = new Map<string, Session>();
  heartbeatIntervalMs = 41_250;
  /** What `GET /gateway/bot` recommends as `shards`. */
  recommendedShards = 1;
  /** `session_start_limit.max_concurrency`: @discordjs/ws waits 5 s between IDENTIFYs of one bucket. */
  maxConcurrency = 1;
  /**
   * Guilds one session may handle; a session that would handle more is closed with 4011. Discord
   * requires sharding from 2500; tests lower it to reach the rule with a few guilds.
   */
  maxGuildsPerShard = 2500;
  /**
   * For bots under "large bot sharding" Discord assigns a number that the shard count must be a
   * multiple of (else 4010); 1 means any count.
   */
  shardCountMultiple = 1;
  /** How many dispatches each session keeps for a RESUME (Discord keeps a bounded backlog too). */
  replayLimit = 1000;
  /** Every op the bot sent, for tests. */
  readonly received: { op: number; at: number }[] = [];
  /** Every IDENTIFY, with its shard and outcome, for tests. */
  readonly identifies: Identify[] = [];
  url = '';

  constructor(private readonly host: GatewayHost) {}

  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.#wss.handleUpgrade(req, socket, head, (ws) => this.#accept(ws));
  }

  #accept(ws: WebSocket): void {
    let session: Session | undefined;
    ws.send(
      JSON.stringify({ op: 10, d: { heartbeat_interval: this.heartbeatIntervalMs }, s: null, t: null }),
    );
    ws.on('message', (raw) => {
      let message: { op: number; d: Record<string, unknown> | number | null };
      try {
        message = JSON.parse(String(raw));
      } catch {
        ws.close(4002, 'Error while decoding payload.');
        return;
      }
      this.received.push({ op: message.op, at: Date.now() });
      const d = (message.d ?? {}) as Record<string, unknown>;
      switch (message.op) {
        case 1:
          ws.send(JSON.stringify({ op: 11, d: null, s: null, t: null }));
          return;
        case 2:
          session = this.#identify(ws, d, session);
          return;
        case 6: {
          const known = this.#sessions.get(String(d.session_id));
          if (d.token !== this.host.token || !known) {
            ws.send(JSON.stringify({ op: 9, d: false, s: null, t: null }));
            return;
          }
          // The session keeps its shard: a resumed connection hears about the same guilds.
          session = known;
          session.socket = ws;
          for (const missed of session.sent.filter((e) => e.s > Number(d.seq))) ws.send(missed.payload);
          this.#send(session, 'RESUMED', {});
          return;
        }
        default:
          return;
      }
    });
    ws.on('close', () => {
      if (session?.socket === ws) session.socket = undefined;
    });
  }

  /**
   * A second IDENTIFY for a shard that already has a live session is accepted, as Discord accepts
   * it: `num_shards` only routes traffic, and Discord documents that several sessions may share
   * one `[shard_id, num_shards]` (or use different counts), which is how bots hand traffic over
   * without downtime (discord-api-docs, gateway.mdx "Sharding"; PR #1524). Each such session gets
   * every event of its shard, so two live sessions of one shard both receive each interaction and
   * the slower one's callback is refused with 40060. Only a second IDENTIFY on the same connection
   * is refused, with 4005 Already authenticated.
   */
  #identify(ws: WebSocket, d: Record<string, unknown>, current: Session | undefined): Session | undefined {
    const refuse = (code: number, reason: string) => {
      this.identifies.push({ at: Date.now(), shard: d.shard, outcome: code });
      ws.close(code, reason);
      return current;
    };
    if (current) return refuse(4005, 'Already authenticated.');
    if (d.token !== this.host.token) return refuse(4004, 'Authentication failed.');
    const shard = parseShard(d.shard);
    if (!shard || shard[1] % this.shardCountMultiple !== 0) return refuse(4010, 'Invalid shard.');
    const guilds = this.host.guilds().filter((g) => shardOf(g.id, shard[1]) === shard[0]);
    if (guilds.length > this.maxGuildsPerShard) return refuse(4011, 'Sharding required.');

    this.identifies.push({ at: Date.now(), shard: d.shard, outcome: 'ready' });
    const session: Session = { id: snowflake().slice(-16), shard, seq: 0, socket: ws, sent: [] };
    this.#sessions.set(session.id, session);
    const guildIds = guilds.map((g) => g.id);
    this.#send(session, 'READY', this.host.readyPayload({ id: session.id, shard, guildIds }, this.url));
    for (const guild of guilds) this.#send(session, 'GUILD_CREATE', guild.toPayload());
    return session;
  }

  #send(session: Session, t: string, d: unknown): void {
    session.seq += 1;
    const payload = JSON.stringify({ op: 0, t, s: session.seq, d });
    session.sent.push({ s: session.seq, payload });
    if (session.sent.length > this.replayLimit) session.sent.shift();
    if (session.socket?.readyState === WebSocket.OPEN) session.socket.send(payload);
  }

  /**
   * Sends a dispatch to every session of the guild's shard (the guild is `guildId`, else the
   * event's `guild_id`); an event without a guild (a DM interaction) goes to shard 0 only, as on
   * Discord. A session that is between connections gets it on RESUME.
   */
  dispatch(t: string, d: unknown, guildId?: string): void {
    const guild = guildId ?? (d as { guild_id?: unknown } | null)?.guild_id;
    for (const session of this.#sessions.values()) {
      const [id, count] = session.shard;
      const ours = typeof guild === 'string' ? shardOf(guild, count) === id : id === 0;
      if (ours) this.#send(session, t, d);
    }
  }

  /** Every session identified so far, with its shard and whether it is connected now. */
  get sessions(): SessionInfo[] {
    return [...this.#sessions.values()].map((s) => ({
      id: s.id,
      shard: s.shard,
      connected: s.socket?.readyState === WebSocket.OPEN,
    }));
  }

  /** True when a bot is connected and identified. */
  get connected(): boolean {
    return [...this.#sessions.values()].some((s) => s.socket?.readyState === WebSocket.OPEN);
  }

  /** Closes every connection (or those of one shard id) with a code; 4000 lets the client resume, 4004 does not. */
  drop(code = 4000, shardId?: number): void {
    for (const session of this.#sessions.values())
      if (shardId === undefined || session.shard[0] === shardId)
        session.socket?.close(code, 'Emulator dropped the connection');
  }

  /** Forgets every session, as after a process restart of the bot. */
  forgetSessions(): void {
    for (const session of this.#sessions.values()) session.socket?.terminate();
    this.#sessions.clear();
  }

  close(): void {
    for (const client of this.#wss.clients) client.terminate();
    this.#wss.close();
  }
}

/** `[shard_id, shard_count]` when valid (no `shard` means `[0, 1]`), else undefined (Discord's 4010). */
function parseShard(value: unknown): Shard | undefined {
  if (value === undefined || value === null) return [0, 1];
  if (!Array.isArray(value) || value.length !== 2) return undefined;
  const [id, count] = value as unknown[];
  if (!Number.isInteger(id) || !Number.isInteger(count)) return undefined;
  const shard: Shard = [id as number, count as number];
  return shard[1] >= 1 && shard[0] >= 0 && shard[0] < shard[1] ? shard : undefined;
}
