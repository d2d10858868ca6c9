/** Writing messages: from events to words, in the reader's language, with links into the portal. */
export { negotiateLocale } from './locale';
export { messageFromCaseEvent, messageFromNotification, type OutgoingMessage } from './message';
export { createRenderer, type Renderer } from './render';
