// Diagnosis-code boxes: suggest ICD-10-CM codes as one types. No inline scripts (the CSP
// forbids them); without this file the box and its "Find a code" link still work.
document.querySelectorAll("input[data-diagnosis-search]").forEach((input) => {
  const list = document.getElementById(input.getAttribute("list"));
  let timer = null;
  let asked = "";
  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(async () => {
      // The codes typed so far stay; suggestions complete the last one.
      const parts = input.value.split(/[,;]\s*/);
      const last = parts.pop().trim();
      const before = parts.map((p) => p.trim()).filter(Boolean);
      if (last.length < 2 || last === asked) return;
      asked = last;
      const url = `${input.dataset.diagnosisSearch}?format=json&q=${encodeURIComponent(last)}`;
      const response = await fetch(url, { headers: { Accept: "application/json" } });
      if (!response.ok) return;
      const { results } = await response.json();
      list.replaceChildren(
        ...results.map(({ code, description }) => {
          const option = document.createElement("option");
          option.value = [...before, code].join(", ");
          option.label = `${code} ${description}`;
          return option;
        }),
      );
    }, 250);
  });
});
