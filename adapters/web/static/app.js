// The web chat page. Every string from the server is shown with textContent (or as a text node),
// never innerHTML, so nothing anyone types can become markup.
"use strict";

const $ = (id) => document.getElementById(id);
const phone = window.matchMedia("(max-width: 700px)");
const state = {
  people: [], personId: null, note: "", shown: null,
  latest: { schools: 0, people: 0, transcript: 0, steps: 0 },  // the last request of each kind
};

const HINT_NO_SCHOOL = "No school yet. Add one under Who are you?, " +
  "or run `tinysteps demo` for a sample school.";
const HINT_NOBODY = "Pick a person under Who are you?, or add one, to start chatting.";
const HINT_NEW_CHAT = "Say hello, or press Ask me today's question to see it now. " +
  "(In Slack and Teams it arrives by itself at the school's nudge time.)";

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
    const error = new Error((body && body.error) || "Something went wrong. Please try again.");
    error.status = response.status;
    throw error;
  }
  return body;
}

function post(body) { return { method: "POST", body: JSON.stringify(body) }; }

function clientId() {
  return (crypto.randomUUID && crypto.randomUUID()) || String(Date.now()) + Math.random();
}

function el(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = text;
  if (className) node.className = className;
  return node;
}

// Each paragraph, heading, list item or quote takes its own direction (Arabic and Hebrew right
// to left). With `code`, the core's inline code (`skip`) becomes <code> between text nodes.
function words(tag, text, code) {
  const node = el(tag);
  node.dir = "auto";
  if (!code) { node.textContent = text; return node; }
  text.split(/`([^`\n]+)`/).forEach((part, i) => {
    if (part) node.append(i % 2 ? el("code", part) : part);
  });
  return node;
}

// One block of the core's content. The bot's text may hold inline code; a person's words are
// shown exactly as typed.
function renderBlock(block, messageId, code) {
  switch (block.type) {
    case "heading": return words("h3", block.text, code);
    case "paragraph": return words("p", block.text, code);
    case "quote": return words("blockquote", block.text, code);
    case "list": {
      const list = el("ul");
      block.items.forEach((item) => list.appendChild(words("li", item, code)));
      return list;
    }
    case "fields": {
      const dl = el("dl");
      block.pairs.forEach(([label, value]) => {
        dl.append(words("dt", label, code), words("dd", value, code));
      });
      return dl;
    }
    case "image": {
      const img = el("img");
      img.src = block.url; img.alt = block.alt;
      return img;
    }
    case "file": return fileBlock(block);
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

// A file made for the person (a chart, an export), carried whole as a data: URI: a PNG is shown,
// anything else is a link that saves it under its own name.
function fileBlock(block) {
  if (typeof block.url !== "string" || !block.url.startsWith(`data:${block.mime};base64,`)) {
    return el("p", "");
  }
  if (block.mime === "image/png") {
    const figure = el("figure", null, "file");
    const img = el("img");
    img.src = block.url; img.alt = block.title;
    figure.append(img, el("figcaption", block.title));
    return figure;
  }
  const link = el("a", `Download ${block.filename}`, "file");
  link.href = block.url; link.download = block.filename; link.title = block.title;
  return link;
}

function bubble(message) {
  const item = el("li", null, `message ${message.author}`);
  item.dataset.testid = "message";
  if (message.content.private) item.classList.add("private");
  if (message.channel) { item.classList.add("channel"); item.dataset.channel = "#" + message.channel; }
  const code = message.author === "bot";
  message.content.blocks.forEach((block) => item.appendChild(renderBlock(block, message.id, code)));
  return item;
}

function hint() {
  if (!$("school").value) return HINT_NO_SCHOOL;
  if (state.personId === null) return state.note || HINT_NOBODY;
  return HINT_NEW_CHAT;
}

function show(messages) {
  const key = JSON.stringify([state.personId, hint(), messages]);
  if (key === state.shown) return;
  state.shown = key;
  const log = $("log");
  log.replaceChildren(...messages.map(bubble));
  $("empty").replaceChildren(words("span", hint(), true));
  $("empty").hidden = messages.length > 0;
  log.scrollTop = log.scrollHeight;
  showSteps();
}

// Calls the API about the chosen person; a 404 means they are gone (they said `forget me`).
async function call(what, options = {}) {
  const id = state.personId;
  try {
    const answer = await api(`/api/web/people/${id}/${what}`, options);
    return id === state.personId ? answer : null;
  } catch (error) {
    if (id !== state.personId) return null;
    if (error.status === 404) await forgotten();
    else problem(error.message);
    return null;
  }
}

// Every call about the chosen person answers with their transcript; the latest one asked is shown.
async function transcript(what, options) {
  const ticket = ++state.latest.transcript;
  const messages = await call(what, options);
  if (messages && ticket === state.latest.transcript) show(messages);
  return messages !== null;
}

function talk(what, body) {
  problem("");
  if (state.personId === null) { problem("Pick or add a person first."); return false; }
  return transcript(what, post(body));
}

function refresh() {
  if (state.personId === null) return show([]);
  return transcript("messages");
}

// The person's own page (streak, recent steps, their question), as Slack's App Home shows it.
async function showSteps() {
  const panel = $("steps");
  if (state.personId === null) { panel.hidden = true; return; }
  const ticket = ++state.latest.steps;
  const home = await call("home");
  if (!home || ticket !== state.latest.steps) return;
  panel.replaceChildren(...home.blocks.map((block) => renderBlock(block, null, true)));
  panel.hidden = false;
}

function press(action, value, messageId) {
  return talk("buttons", { action, value, message_id: messageId, client_id: clientId() });
}

async function forgotten() {
  const gone = state.people.find((p) => p.id === state.personId);
  state.note = `${gone ? gone.name : "That person"} is no longer here: everything about them ` +
    "was deleted. Pick someone else, or add a person.";
  await loadPeople(null);
}

// Who the page talks as. On a phone the picker folds away once someone is chosen.
function choose(id) {
  const person = state.people.find((p) => p.id === id);
  state.personId = person ? person.id : null;
  $("person").value = person ? String(person.id) : "";
  const school = $("school").selectedOptions[0];
  $("whoami").textContent = person ? `Talking as ${person.name} (${person.role}), ${school.text}` : "";
  if (person) state.note = "";
  $("who").open = !person || !phone.matches;
  $("steps").hidden = true;
  state.shown = null;
  return refresh();
}

async function loadSchools(selectId) {
  const ticket = ++state.latest.schools;
  const schools = await api("/api/web/schools");
  if (ticket !== state.latest.schools) return;  // a newer list is on its way
  const select = $("school");
  select.replaceChildren(...schools.map((s) => {
    const option = el("option", s.name);
    option.value = s.id;
    return option;
  }));
  if (selectId) select.value = String(selectId);
  await loadPeople();
}

// `selectId`: a person to choose, null for nobody, or left out for the first person.
async function loadPeople(selectId) {
  const schoolId = $("school").value;
  const ticket = ++state.latest.people;
  const people = schoolId ? await api(`/api/web/schools/${schoolId}/people`) : [];
  if (ticket !== state.latest.people) return;
  state.people = people;
  const nobody = el("option", state.people.length ? "Choose a person…" : "Nobody yet");
  nobody.value = "";
  $("person").replaceChildren(nobody, ...state.people.map((p) => {
    const option = el("option", `${p.name} (${p.role})`);
    option.value = p.id;
    return option;
  }));
  if (schoolId && state.people.length === 0) $("add-person").open = true;
  const first = state.people.length ? state.people[0].id : null;
  await choose(selectId === undefined ? first : selectId);
}

function formData(form) {
  return Object.fromEntries(new FormData(form).entries());
}

// A form that worked folds away, emptied, so the chat is in view again.
function done(form) {
  form.reset();
  form.closest("details").open = false;
}

document.addEventListener("DOMContentLoaded", () => {
  $("school").addEventListener("change", () => loadPeople().catch((error) => problem(error.message)));
  $("person").addEventListener("change", () => choose(Number($("person").value) || null));
  $("new-school").addEventListener("submit", async (event) => {
    event.preventDefault(); problem("");
    try {
      const school = await api("/api/web/schools", post(formData(event.target)));
      done(event.target);
      await loadSchools(school.id);
    } catch (error) { problem(error.message); }
  });
  $("new-person").addEventListener("submit", async (event) => {
    event.preventDefault(); problem("");
    try {
      const path = `/api/web/schools/${$("school").value}/people`;
      const person = await api(path, post(formData(event.target)));
      done(event.target);
      await loadPeople(person.id);
    } catch (error) { problem(error.message); }
  });
  $("ask").addEventListener("click", () => talk("ask", {}));
  $("compose").addEventListener("submit", async (event) => {
    event.preventDefault(); problem("");
    const input = $("text");
    const text = input.value;
    if (!text.trim()) { problem("Type a message first."); return; }
    if (await talk("messages", { text, client_id: clientId() })) input.value = "";
  });
  loadSchools().catch((error) => problem(error.message));
  setInterval(refresh, 3000);
});
