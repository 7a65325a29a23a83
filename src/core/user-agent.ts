// A User-Agent header as a person reads it ("Firefox 125", "Windows 10"), for the device list; parsed by bowser.
import Bowser from 'bowser';

/** Stored user agents are cut here: real ones are a few hundred characters, and the header is attacker-chosen. */
export const MAX_USER_AGENT = 512;

export interface DeviceDescription {
  browser: string | null;
  os: string | null;
}

/**
 * bowser (MIT, maintained, no dependencies) rather than our own regexes: browser detection is a
 * moving table of vendor tokens (Edg/, OPR/, CriOS/, SamsungBrowser/ …) that a library keeps current.
 * Only the family and major version are shown: the rest of the string is noise to a person.
 */
export function describeUserAgent(userAgent: string | null | undefined): DeviceDescription {
  if (!userAgent) return { browser: null, os: null };
  let parsed: Bowser.Parser.ParsedResult;
  try {
    parsed = Bowser.parse(userAgent.slice(0, MAX_USER_AGENT));
  } catch {
    return { browser: null, os: null };
  }
  const major = parsed.browser.version?.split('.')[0];
  const browser = parsed.browser.name ? (major ? `${parsed.browser.name} ${major}` : parsed.browser.name) : null;
  return { browser, os: osLabel(parsed.os) };
}

function osLabel(os: Bowser.Parser.OSDetails): string | null {
  if (!os.name) return null;
  // Browsers on macOS have reported 10.15.7 since 2020 whatever the release: the number says nothing.
  if (os.name === 'macOS') return 'macOS';
  if (os.name === 'Windows') return os.versionName ? `Windows ${os.versionName}` : 'Windows';
  const version = os.version
    ?.split('.')
    .slice(0, os.name === 'iOS' ? 2 : 1)
    .join('.');
  return version ? `${os.name} ${version}` : os.name;
}
