import { useEffect, useState } from 'preact/hooks';

/** A tiny history router: the URL is the state that survives a reload or travels to another device. */
export function navigate(to: string, replace = false) {
  if (replace) history.replaceState(null, '', to);
  else history.pushState(null, '', to);
  dispatchEvent(new PopStateEvent('popstate'));
  window.scrollTo(0, 0);
}

export function useLocation(): URL {
  const [href, setHref] = useState(location.href);
  useEffect(() => {
    const on = () => setHref(location.href);
    addEventListener('popstate', on);
    return () => removeEventListener('popstate', on);
  }, []);
  return new URL(href);
}
