/**
 * The Discord gateway as discord.js 14 (@discordjs/ws 1.x) meets it: HELLO, IDENTIFY, READY with
 * unavailable guild stubs and the application, one GUILD_CREATE per guild, heartbeats answered
 * with ACKs, and RESUME after a dropped connection, replaying what was missed.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';
import { snowflake } from './snowflake.js';

interface Session {
  id: string;
  seq: number;
  socket: WebSocket | undefined;
  /** Dispatches kept for a RESUME, newest last. */
  sent: { s: number; payload: string }[];
}

export interface GatewayHost {
  token: string;
  readyPayload(sessionId: string, resumeUrl: string): Record<string, unknown>;
  guildCreates(): Record<string, unknown>[];
}

export class Gateway {
  readonly #wss = new WebSocketServer({ noServer: true });
  readonly #sessions = new Map<string, Session>();
  heartbeatIntervalMs = 41_250;
  /** Every op the bot sent, for tests. */
  readonly received: { op: number; at: number }[] = [];
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
        case 2: {
          if (d.token !== this.host.token) {
            ws.close(4004, 'Authentication failed.');
            return;
          }
          session = { id: snowflake().slice(-16), seq: 0, socket: ws, sent: [] };
          this.#sessions.set(session.id, session);
          this.#send(session, 'READY', this.host.readyPayload(session.id, this.url));
          for (const guild of this.host.guildCreates()) this.#send(session, 'GUILD_CREATE', guild);
          return;
        }
        case 6: {
          const known = this.#sessions.get(String(d.session_id));
          if (d.token !== this.host.token || !known) {
            ws.send(JSON.stringify({ op: 9, d: false, s: null, t: null }));
            return;
          }
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

  #send(session: Session, t: string, d: unknown): void {
    session.seq += 1;
    const payload = JSON.stringify({ op: 0, t, s: session.seq, d });
    session.sent.push({ s: session.seq, payload });
    if (session.sent.length > 1000) session.sent.shift();
    if (session.socket?.readyState === WebSocket.OPEN) session.socket.send(payload);
  }

  /** Sends a dispatch to every session; a session that is between connections gets it on RESUME. */
  dispatch(t: string, d: unknown): void {
    for (const session of this.#sessions.values()) this.#send(session, t, d);
  }

  /** True when a bot is connected and identified. */
  get connected(): boolean {
    return [...this.#sessions.values()].some((s) => s.socket?.readyState === WebSocket.OPEN);
  }

  /** Closes every connection with a code; 4000 lets the client resume, 4004 does not. */
  drop(code = 4000): void {
    for (const session of this.#sessions.values())
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
