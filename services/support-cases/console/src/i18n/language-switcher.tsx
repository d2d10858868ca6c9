import type { AgentView } from '@wallet-guard/contracts';
import { SUPPORTED_LOCALES, type SupportedLocale } from '@wallet-guard/i18n';
import { useState } from 'react';
import type { Session } from '../session';
import { describeFailure } from '../words';
import { useWords } from './use-words';

interface Props {
  session: Session;
  /** The agent as the server now has them, after their choice was saved. */
  onSaved: (agent: AgentView) => void;
}

/**
 * The header's language choice. It applies at once, and is saved as the agent's preference on the
 * server (`PATCH /v1/agents/me`) so every browser they sign in from opens in it. Each language is
 * named in itself ("English", "简体中文"), so an agent can find theirs whatever is showing.
 */
export function LanguageSwitcher({ session, onSaved }: Props) {
  const words = useWords();
  const { t, i18n, locale } = words;
  const [failure, setFailure] = useState<string | null>(null);

  const choose = async (next: SupportedLocale) => {
    setFailure(null);
    await i18n.changeLanguage(next);
    try {
      onSaved(await session.api.setLocale(next));
    } catch (error) {
      // In the language just chosen: `t` of this render still speaks the previous one.
      setFailure(describeFailure({ ...words, t: i18n.getFixedT(next), locale: next }, error));
    }
  };

  return (
    <div className="language">
      {/* Not wrapping the select: its accessible name stays "Language", not the options' text too. */}
      <label className="language-label" htmlFor="console-language">
        {t('app.language')}
      </label>
      <select id="console-language" value={locale} onChange={(e) => void choose(e.target.value as SupportedLocale)}>
        {SUPPORTED_LOCALES.map((l) => (
          <option key={l} value={l} lang={l}>
            {t(`language.${l}`)}
          </option>
        ))}
      </select>
      {failure && (
        <p className="result error" role="alert">
          {t('app.languageNotSaved', { failure })}
        </p>
      )}
    </div>
  );
}
