import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pathToFileURL } from 'node:url';
import { isAppUrl } from './app-url.ts';

test('the app page is recognised however Chromium spells its URL (POSIX)', () => {
  const index = '/home/ana/Apps/Portrait Songs [beta]/~v2/dist/renderer/index.html';
  // Node escapes what Chromium leaves as is; both must match.
  assert.equal(isAppUrl(pathToFileURL(index).href, index, 'posix'), true);
  assert.equal(isAppUrl('file:///home/ana/Apps/Portrait%20Songs%20[beta]/~v2/dist/renderer/index.html', index, 'posix'), true);
  assert.equal(isAppUrl('file:///home/ana/Apps/Portrait%20Songs%20%5Bbeta%5D/%7Ev2/dist/renderer/index.html#top', index, 'posix'), true);
  assert.equal(isAppUrl('file:///home/ana/Apps/Portrait%20Songs%20[beta]/~v2/dist/renderer/../renderer/index.html', index, 'posix'), true);
});

test('the app page is recognised on Windows whatever the drive letter case', () => {
  const index = 'c:\\Users\\Ana\\AppData\\Local\\Programs\\portrait-songs\\resources\\app.asar\\dist\\renderer\\index.html';
  assert.equal(isAppUrl('file:///C:/Users/Ana/AppData/Local/Programs/portrait-songs/resources/app.asar/dist/renderer/index.html', index, 'win32'), true);
  assert.equal(isAppUrl('file:///c:/Users/Ana/AppData/Local/Programs/portrait-songs/resources/app.asar/dist/renderer/index.html', index, 'win32'), true);
});

test('other pages, schemes and hosts are refused', () => {
  const index = '/opt/ps/dist/renderer/index.html';
  assert.equal(isAppUrl('file:///opt/ps/dist/renderer/other.html', index, 'posix'), false);
  assert.equal(isAppUrl('file:///opt/ps/dist/renderer/index.html.evil', index, 'posix'), false);
  assert.equal(isAppUrl('https://opt/ps/dist/renderer/index.html', index, 'posix'), false);
  assert.equal(isAppUrl('file://evil.example/opt/ps/dist/renderer/index.html', index, 'posix'), false);
  assert.equal(isAppUrl('file:///opt/ps/dist/renderer/index.html%00', index, 'posix'), false);
  assert.equal(isAppUrl('file:///opt/ps/dist/renderer/%E0%A4%A', index, 'posix'), false);
  assert.equal(isAppUrl('not a url', index, 'posix'), false);
  assert.equal(isAppUrl('file://server/share/ps/dist/renderer/index.html', 'C:\\ps\\dist\\renderer\\index.html', 'win32'), false);
});
