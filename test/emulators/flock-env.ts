/**
 * Flock wired to both emulators, as an operator's portal set-up would: Flock's callback URLs
 * registered with the X app and the Discord app, and the environment that points Flock at both
 * (link flow included). Tests, the multi-process harness and the playground all start Flock so.
 */
import type { DiscordEmulator } from './discord/server.js';
import { DEFAULT_BEARER, DEFAULT_CLIENT_ID, type XEmulator } from './x/server.js';

export function emulatorEnv(
  discord: DiscordEmulator,
  x: XEmulator,
  /** Where Flock's web server is reached; its port is Flock's PORT. */
  publicUrl: string,
  /** Register the commands in the emulator's guild (instant), rather than globally. */
  options: { guild?: boolean } = {},
): Record<string, string> {
  x.auth.apps.get(DEFAULT_CLIENT_ID)?.redirectUris.push(`${publicUrl}/oauth/callback`);
  discord.redirectUris.push(`${publicUrl}/oauth/discord/callback`);
  return {
    DISCORD_TOKEN: discord.token,
    DISCORD_API_URL: discord.apiUrl,
    ...(options.guild === false ? {} : { DISCORD_GUILD_ID: discord.guild.id }),
    DISCORD_CLIENT_SECRET: discord.clientSecret,
    DISCORD_AUTHORIZE_URL: discord.authorizeUrl,
    X_BEARER_TOKEN: DEFAULT_BEARER,
    X_CLIENT_ID: DEFAULT_CLIENT_ID,
    X_API_URL: x.url,
    X_AUTHORIZE_URL: x.authorizeUrl,
    PORT: new URL(publicUrl).port,
    PUBLIC_URL: publicUrl,
  };
}
