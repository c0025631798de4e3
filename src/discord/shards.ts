/** This process's gateway shards as /healthz reports them. */
import { type Client, Status } from 'discord.js';

export interface ShardHealth {
  id: number;
  /** discord.js's state of the shard: `ready`, `connecting`, `resuming`, `disconnected`, … */
  status: string;
}

/** Every shard this process was told to connect, including those discord.js has not created yet. */
export function shardHealth(client: Client, ids: readonly number[]): ShardHealth[] {
  return ids.map((id) => {
    const name = Status[client.ws.shards.get(id)?.status ?? Status.Idle] ?? 'Idle';
    return { id, status: name.charAt(0).toLowerCase() + name.slice(1) };
  });
}
