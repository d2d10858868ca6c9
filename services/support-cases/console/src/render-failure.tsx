import { Component, type ReactNode } from 'react';

/**
 * What the agent sees when the page cannot be drawn (a defect such as a missing translation,
 * which throws rather than showing a key name): a plain notice instead of a blank page. Written in
 * both languages and without the translator, which may be what failed. React still reports the
 * error on the browser console, where the tests look.
 */
export class RenderFailure extends Component<{ children: ReactNode }, { failure: string | null }> {
  override state = { failure: null as string | null };

  static getDerivedStateFromError(error: unknown) {
    return { failure: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
  }

  override render() {
    if (this.state.failure === null) return this.props.children;
    return (
      <main className="render-failure" role="alert">
        <h1>This page could not be shown · 页面无法显示</h1>
        <p>
          Reload the page; if it happens again, tell the console's maintainers. ·
          请刷新页面；如仍出现，请告知工作台维护人员。
        </p>
        <pre>{this.state.failure}</pre>
      </main>
    );
  }
}
