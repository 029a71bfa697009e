/*
 * search.mjs: a search hit (the server's results, a plain form without script) jumps to
 * its sentence and plays from there. Methods of `TranscriptPlayer` (player.js mixes them in).
 */

export const search = {
  setupSearch() {
    this.root.addEventListener("click", (e) => {
      const hit = e.target.closest("a.hit[data-begin]");
      if (!hit || e.button !== 0 || e.ctrlKey || e.metaKey || e.shiftKey || e.altKey) return;
      e.preventDefault();
      const i = this.byId.get(hit.dataset.sid);
      if (i != null) this.playSentence(i);
      else {
        this.detached = false;
        this.seek(parseFloat(hit.dataset.begin), { play: true });
        this.reveal();
      }
    }, this.listen);
  },
};
