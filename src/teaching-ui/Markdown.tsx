/**
 * Lesson and challenge Markdown, rendered by react-markdown into React
 * elements: no HTML string is ever injected, raw HTML in the text is skipped
 * (the lesson checker refuses it anyway), and nothing needs eval or inline
 * script, so the lab's Content-Security-Policy holds.
 */
import ReactMarkdown from 'react-markdown';

export function Markdown({ text }: { text: string }) {
  return (
    <div className="md">
      <ReactMarkdown skipHtml>{text}</ReactMarkdown>
    </div>
  );
}
