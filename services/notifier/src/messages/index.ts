/** Writing messages: from events to words, in the reader's language, with links into the portal. */
export { negotiateLocale } from '@wallet-guard/i18n';
export {
  messageFromCaseEvent,
  messageFromNotification,
  type OutgoingMessage,
  onCallMessageFromCaseEvent,
} from './message';
export { createRenderer, type Renderer } from './render';
