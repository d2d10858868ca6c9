// Runs in a worker thread (piscina): zxcvbn can take hundreds of milliseconds on a long,
// repetitive password, which must not stall the event loop. Plain JavaScript so it loads the
// same under node, tsx and vitest.
import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import { adjacencyGraphs, dictionary as commonDictionary } from '@zxcvbn-ts/language-common';
import { dictionary as englishDictionary, translations } from '@zxcvbn-ts/language-en';

const zxcvbn = new ZxcvbnFactory({
  dictionary: { ...commonDictionary, ...englishDictionary },
  graphs: adjacencyGraphs,
  translations,
});

/**
 * @param {{ password: string, userInputs: string[] }} input
 * @returns {{ score: number, warning: string | null, suggestions: string[], userInputShare: number }}
 */
export default function estimate({ password, userInputs }) {
  const result = zxcvbn.check(password, userInputs);
  // How much of the password is made of the user's own data (email, its parts), l33t and reversal included.
  const fromUserInputs = result.sequence
    .filter((match) => match.pattern === 'dictionary' && match.dictionaryName === 'userInputs')
    .reduce((sum, match) => sum + match.token.length, 0);
  return {
    score: result.score,
    warning: result.feedback.warning,
    suggestions: result.feedback.suggestions,
    userInputShare: password.length === 0 ? 0 : fromUserInputs / password.length,
  };
}
