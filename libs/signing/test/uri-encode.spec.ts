import { percentDecode, uriEncode, uriEncodePath } from '../src/uri-encode';

describe('uriEncode', () => {
  it('keeps exactly the unreserved characters', () => {
    const unreserved = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~';
    expect(uriEncode(unreserved)).toBe(unreserved);
    expect(uriEncode(" !\"#$%&'()*+,/:;<=>?@[\\]^`{|}")).toBe(
      '%20%21%22%23%24%25%26%27%28%29%2A%2B%2C%2F%3A%3B%3C%3D%3E%3F%40%5B%5C%5D%5E%60%7B%7C%7D',
    );
  });

  it('encodes the UTF-8 bytes with upper-case hex', () => {
    expect(uriEncode('ሴ')).toBe('%E1%88%B4');
    expect(uriEncode('😀')).toBe('%F0%9F%98%80');
  });

  it('encodes a lone surrogate as U+FFFD instead of throwing', () => {
    expect(uriEncode('\uD800')).toBe('%EF%BF%BD');
  });
});

describe('uriEncodePath', () => {
  it('keeps slashes and encodes an already encoded path again', () => {
    expect(uriEncodePath('/a%20b/c d/')).toBe('/a%2520b/c%20d/');
  });
});

describe('percentDecode', () => {
  it('decodes escapes and keeps "+"', () => {
    expect(percentDecode('a%20b+c%E1%88%B4')).toBe('a b+cሴ');
  });

  it('returns malformed escapes unchanged', () => {
    expect(percentDecode('100%')).toBe('100%');
    expect(percentDecode('%FF')).toBe('%FF');
  });
});
