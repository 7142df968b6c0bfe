"""The answer pages of every answerable kind (accept, decline, ask for info, answer the question,
answer from an email), written once: `views.register` puts them on a kind's blueprint
(pairings/, requests/) with that kind's WebKind. Templates: templates/answers/.
The answering itself is services/answers/."""
