/**
 * Small builders of Components V2 JSON (flag IS_COMPONENTS_V2): a Container of TextDisplays and
 * Sections, as Flock's lists and cards use them. Discord refuses a V2 message past 40 components
 * (nested ones counted) or 4,000 characters of text, and past about 10,000 UTF-8 bytes of text
 * answers with a bare 500: callers bound every piece of X text they put in.
 */
import {
  type APIActionRowComponent,
  type APIButtonComponent,
  type APIComponentInContainer,
  type APIContainerComponent,
  type APISectionComponent,
  type APISeparatorComponent,
  type APITextDisplayComponent,
  ComponentType,
  MessageFlags,
  SeparatorSpacingSize,
} from 'discord.js';

export const V2 = MessageFlags.IsComponentsV2;

export const textDisplay = (content: string): APITextDisplayComponent => ({
  type: ComponentType.TextDisplay,
  content,
});

/** Text beside an image; text alone where there is no image (a Section needs its accessory). */
export function withThumbnail(
  content: string,
  imageUrl: string | undefined,
  description?: string,
): APISectionComponent | APITextDisplayComponent {
  // Discord fetches the image itself and takes only a well-formed https URL from us.
  if (!imageUrl || !/^https:\/\/[^\s]+$/.test(imageUrl)) return textDisplay(content);
  return {
    type: ComponentType.Section,
    components: [textDisplay(content)],
    accessory: {
      type: ComponentType.Thumbnail,
      media: { url: imageUrl },
      ...(description ? { description } : {}),
    },
  };
}

export const separator = (): APISeparatorComponent => ({
  type: ComponentType.Separator,
  divider: true,
  spacing: SeparatorSpacingSize.Small,
});

export const container = (
  accentColor: number,
  components: APIComponentInContainer[],
): APIContainerComponent => ({
  type: ComponentType.Container,
  accent_color: accentColor,
  components,
});

export type ButtonRow = APIActionRowComponent<APIButtonComponent>;
