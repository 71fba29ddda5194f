// The web chat page. Every string from the server is shown with textContent, never innerHTML,
// so nothing anyone types can become markup.
"use strict";

const $ = (id) => document.getElementById(id);
const state = { personId: null, shown: "" };

function problem(text) { $("problem").textContent = text || ""; }

// The session's CSRF token, which the server put in the page; every API call carries it.
const csrfToken = document.querySelector('meta[name="csrf-token"]').content;

async function api(path, options = {}) {
  const response = await fetch(path, {
    headers: { "Content-Type": "application/json", "X-CSRF-Token": csrfToken },
    credentials: "same-origin",
    ...options,
  });
  let body = null;
  try { body = await response.json(); } catch { body = null; }
  if (!response.ok) {
    throw new Error((body && body.error) || "Something went wrong. Please try again.");
  }
  return body;
}

function clientId() {
  return (crypto.randomUUID && crypto.randomUUID()) || String(Date.now()) + Math.random();
}

function el(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = text;
  if (className) node.className = className;
  return node;
}

function renderBlock(block, messageId) {
  switch (block.type) {
    case "heading": return el("h3", block.text);
    case "paragraph": return el("p", block.text);
    case "quote": return el("blockquote", block.text);
    case "list": {
      const list = el("ul");
      block.items.forEach((item) => list.appendChild(el("li", item)));
      return list;
    }
    case "fields": {
      const dl = el("dl");
      block.pairs.forEach(([label, value]) => { dl.appendChild(el("dt", label)); dl.appendChild(el("dd", value)); });
      return dl;
    }
    case "image": {
      const img = el("img");
      img.src = block.url; img.alt = block.alt;
      return img;
    }
    case "buttons": {
      const row = el("div", null, "buttons");
      block.buttons.forEach((b) => {
        const button = el("button", b.label, b.style || "");
        button.type = "button";
        button.addEventListener("click", () => press(b.action, b.value, messageId));
        row.appendChild(button);
      });
      return row;
    }
    default: return el("p", "");
  }
}

function render(messages) {
  const key = JSON.stringify(messages);
  if (key === state.shown) return;
  state.shown = key;
  const log = $("log");
  log.replaceChildren();
  messages.forEach((message) => {
    const item = el("li", null, message.author);
    item.dataset.testid = "message";
    if (message.content.private) item.classList.add("private");
    if (message.channel) { item.classList.add("channel"); item.dataset.channel = "#" + message.channel; }
    message.content.blocks.forEach((block) => item.appendChild(renderBlock(block, message.id)));
    log.appendChild(item);
  });
  log.scrollTop = log.scrollHeight;
}

async function refresh() {
  if (state.personId === null) { render([]); return; }
  try { render(await api(`/api/web/people/${state.personId}/messages`)); } catch (error) { problem(error.message); }
}

async function press(action, value, messageId) {
  problem("");
  try {
    render(await api(`/api/web/people/${state.personId}/buttons`, {
      method: "POST",
      body: JSON.stringify({ action, value, message_id: messageId, client_id: clientId() }),
    }));
  } catch (error) { problem(error.message); }
}

async function loadSchools(selectId) {
  const schools = await api("/api/web/schools");
  const select = $("school");
  select.replaceChildren();
  schools.forEach((s) => { const option = el("option", s.name); option.value = s.id; select.appendChild(option); });
  if (selectId) select.value = String(selectId);
  if (schools.length === 0) problem("No school yet. Add one below, or run `tinysteps demo` for a sample school.");
  await loadPeople();
}

async function loadPeople(selectId) {
  const schoolId = $("school").value;
  const select = $("person");
  select.replaceChildren();
  if (!schoolId) { state.personId = null; await refresh(); return; }
  const people = await api(`/api/web/schools/${schoolId}/people`);
  people.forEach((p) => {
    const option = el("option", `${p.name} (${p.role})`);
    option.value = p.id;
    select.appendChild(option);
  });
  if (selectId) select.value = String(selectId);
  state.personId = select.value ? Number(select.value) : null;
  if (people.length === 0) $("add-person").open = true;
  await refresh();
}

function formData(form) {
  return Object.fromEntries(new FormData(form).entries());
}

document.addEventListener("DOMContentLoaded", () => {
  $("school").addEventListener("change", () => loadPeople());
  $("person").addEventListener("change", () => { state.personId = Number($("person").value); refresh(); });
  $("new-school").addEventListener("submit", async (event) => {
    event.preventDefault(); problem("");
    try {
      const school = await api("/api/web/schools", { method: "POST", body: JSON.stringify(formData(event.target)) });
      event.target.reset();
      await loadSchools(school.id);
    } catch (error) { problem(error.message); }
  });
  $("new-person").addEventListener("submit", async (event) => {
    event.preventDefault(); problem("");
    try {
      const person = await api(`/api/web/schools/${$("school").value}/people`, { method: "POST", body: JSON.stringify(formData(event.target)) });
      event.target.reset();
      await loadPeople(person.id);
    } catch (error) { problem(error.message); }
  });
  $("ask").addEventListener("click", async () => {
    problem("");
    if (state.personId === null) { problem("Pick or add a person first."); return; }
    try { render(await api(`/api/web/people/${state.personId}/ask`, { method: "POST", body: "{}" })); } catch (error) { problem(error.message); }
  });
  $("compose").addEventListener("submit", async (event) => {
    event.preventDefault(); problem("");
    const input = $("text");
    const text = input.value;
    if (!text.trim()) { problem("Type a message first."); return; }
    if (state.personId === null) { problem("Pick or add a person first."); return; }
    try {
      render(await api(`/api/web/people/${state.personId}/messages`, { method: "POST", body: JSON.stringify({ text, client_id: clientId() }) }));
      input.value = "";
    } catch (error) { problem(error.message); }
  });
  loadSchools().catch((error) => problem(error.message));
  setInterval(refresh, 3000);
});
