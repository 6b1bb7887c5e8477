// The popup's setting for the watch: how often saved accounts are re-checked in the
// background (once a day by default), or not at all. The background reschedules its alarm
// when the stored value changes.
import { DEFAULT_PERIOD, PERIOD_KEY, PERIODS } from "./lib/watch.js";

export async function initWatchSetting(api, select, label = (period) => period.label) {
  select.replaceChildren(...PERIODS.map((period) => {
    const option = document.createElement("option");
    option.value = String(period.minutes);
    option.textContent = label(period);
    return option;
  }));
  let chosen = false; // a choice made while the stored one is read wins
  select.addEventListener("change", () => {
    chosen = true;
    api.storage.local.set({ [PERIOD_KEY]: Number(select.value) }).catch(() => {});
  });
  select.value = String(DEFAULT_PERIOD);
  const stored = (await api.storage.local.get(PERIOD_KEY))[PERIOD_KEY];
  if (!chosen) select.value = String(Number.isFinite(stored) ? stored : DEFAULT_PERIOD);
}
