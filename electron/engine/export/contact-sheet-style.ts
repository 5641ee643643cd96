/** The contact sheet's stylesheet: dark, a tidy responsive grid, quadrant colours from CSS variables. */
export const CONTACT_SHEET_CSS = `
:root { color-scheme: dark; --bg: #0b0d12; --card: #151821; --line: #262a36; --text: #e8e9ee; --muted: #9a9eab; }
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--text); font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif; }
header { padding: 28px 32px 18px; border-bottom: 1px solid var(--line); display: flex; flex-wrap: wrap; gap: 12px 32px; align-items: end; justify-content: space-between; }
h1 { margin: 0; font-size: 22px; font-weight: 650; letter-spacing: .2px; }
.sub { margin: 4px 0 0; color: var(--muted); }
.stats { display: flex; gap: 18px; color: var(--muted); }
.stats b { color: var(--text); font-size: 18px; margin-right: 4px; }
.legend { display: flex; flex-wrap: wrap; gap: 8px 14px; padding: 12px 32px; border-bottom: 1px solid var(--line); color: var(--muted); font-size: 12px; }
.legend span { display: inline-flex; align-items: center; gap: 6px; }
.legend i { width: 10px; height: 10px; border-radius: 3px; background: var(--q); display: inline-block; }
main { display: grid; grid-template-columns: repeat(auto-fill, minmax(240px, 1fr)); gap: 18px; padding: 24px 32px 40px; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 12px; overflow: hidden; display: flex; flex-direction: column; }
.card.unmatched { opacity: .78; }
.frame { position: relative; aspect-ratio: 4 / 5; background: #07080b; }
.frame figure { position: absolute; margin: 0; }
.frame img { display: block; width: 100%; height: 100%; }
.box { position: absolute; border: 1.5px dashed rgba(255,255,255,.55); border-radius: 3px; }
.box.chosen { border: 2.5px solid var(--q); box-shadow: 0 0 0 1px rgba(0,0,0,.55); }
.placeholder { position: absolute; inset: 0; display: grid; place-items: center; color: var(--muted); padding: 16px; text-align: center; }
.badge { display: inline-block; background: var(--q); color: var(--qt); font-weight: 700; font-size: 12px; padding: 2px 8px; border-radius: 999px; white-space: nowrap; }
.frame .badge { position: absolute; top: 10px; left: 10px; box-shadow: 0 1px 3px rgba(0,0,0,.5); }
.badge.mood { background: rgba(20,21,26,.85); color: #fff; border: 2px dashed var(--q); font-style: italic; }
.pos { position: absolute; top: 10px; right: 10px; background: rgba(0,0,0,.6); color: #fff; font-size: 11px; padding: 2px 7px; border-radius: 999px; }
.meta { padding: 12px 14px 14px; display: flex; flex-direction: column; gap: 8px; flex: 1; }
.name { margin: 0; font-size: 13px; font-weight: 600; color: var(--muted); overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.song { display: flex; gap: 10px; align-items: flex-start; }
.song .badge { margin-top: 2px; }
.title { font-size: 15px; font-weight: 600; overflow-wrap: anywhere; }
.title a { color: var(--text); text-decoration: none; border-bottom: 1px solid var(--line); }
.title a:hover, .title a:focus { border-color: var(--text); }
.artist { color: var(--muted); font-size: 13px; overflow-wrap: anywhere; }
audio { width: 100%; height: 32px; }
.reason { margin: auto 0 0; color: var(--muted); font-size: 12px; }
footer { padding: 0 32px 32px; color: var(--muted); font-size: 12px; }
`;
