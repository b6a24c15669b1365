package ai.continuum.eval;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * A labelled recall dataset: conversations of turns, and questions whose answers lie in named evidence turns.
 *
 * <p>The JSON shape is exactly:
 * <pre>{@code
 * {"conversations": [{"id": "c1",
 *   "turns": [{"id": "t1", "speaker": "Ann", "text": "...", "session": "s1", "time": "2023-05-08T13:56:00Z"}],
 *   "questions": [{"id": "q1", "question": "...", "evidence": ["t1", "t7"], "category": "single-hop"}]}]}
 * }</pre>
 * Every field is required; unknown fields are rejected so that a misspelt key is reported rather than silently
 * ignored. Turn and question ids are unique within their conversation, conversation ids within the dataset, and every
 * evidence id names a turn of the same conversation. Times are ISO-8601 instants with an offset. Violations raise
 * {@link InvalidDatasetException} with the JSON path of the offending value.
 *
 * <p>Immutable and thread-safe.
 */
public record EvalDataset(List<Conversation> conversations) {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    public EvalDataset {
        conversations = List.copyOf(conversations);
    }

    /** One dialogue: turns in the order they happened, and the questions asked about them afterwards. */
    public record Conversation(String id, List<DialogueTurn> turns, List<Question> questions) {
        public Conversation {
            turns = List.copyOf(turns);
            questions = List.copyOf(questions);
        }
    }

    /** One utterance. {@code timeMillis} is epoch milliseconds UTC. */
    public record DialogueTurn(String id, String speaker, String text, String session, long timeMillis) {

        /** The text every retriever indexes: {@code "Speaker: text"}, or the bare text when there is no speaker. */
        public String indexedText() {
            return speaker.isBlank() ? text : speaker + ": " + text;
        }
    }

    /** A question with the ids of the turns that together hold its answer. */
    public record Question(String id, String question, List<String> evidence, String category) {
        public Question {
            evidence = List.copyOf(evidence);
        }
    }

    /** A dataset that does not have the documented shape. */
    public static final class InvalidDatasetException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public InvalidDatasetException(final String message) {
            super(message);
        }
    }

    public int turnCount() {
        return conversations.stream().mapToInt(c -> c.turns().size()).sum();
    }

    public int questionCount() {
        return conversations.stream().mapToInt(c -> c.questions().size()).sum();
    }

    /** The dataset in the documented JSON shape, pretty-printed; {@link #parse(String)} reads it back equal. */
    public String toJson() {
        final ObjectNode root = MAPPER.createObjectNode();
        final ArrayNode conversationArray = root.putArray("conversations");
        for (final Conversation conversation : conversations) {
            final ObjectNode c = conversationArray.addObject();
            c.put("id", conversation.id());
            final ArrayNode turnArray = c.putArray("turns");
            for (final DialogueTurn turn : conversation.turns()) {
                turnArray
                        .addObject()
                        .put("id", turn.id())
                        .put("speaker", turn.speaker())
                        .put("text", turn.text())
                        .put("session", turn.session())
                        .put("time", Instant.ofEpochMilli(turn.timeMillis()).toString());
            }
            final ArrayNode questionArray = c.putArray("questions");
            for (final Question question : conversation.questions()) {
                final ObjectNode q = questionArray.addObject();
                q.put("id", question.id());
                q.put("question", question.question());
                final ArrayNode evidence = q.putArray("evidence");
                question.evidence().forEach(evidence::add);
                q.put("category", question.category());
            }
        }
        try {
            return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n";
        } catch (final JsonProcessingException e) {
            throw new IllegalStateException("a tree of strings always serialises", e);
        }
    }

    /** Reads and checks the dataset at {@code file}; a missing or unreadable file is an invalid dataset too. */
    public static EvalDataset read(final Path file) throws IOException {
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new InvalidDatasetException(file + ": not a readable file");
        }
        try (InputStream in = Files.newInputStream(file)) {
            return parse(in);
        } catch (final InvalidDatasetException e) {
            throw new InvalidDatasetException(file + ": " + e.getMessage());
        }
    }

    public static EvalDataset parse(final InputStream in) throws IOException {
        final JsonNode root;
        try {
            root = MAPPER.readTree(in);
        } catch (final JsonProcessingException e) {
            throw new InvalidDatasetException("not valid JSON: " + e.getOriginalMessage());
        }
        return fromTree(root);
    }

    public static EvalDataset parse(final String json) {
        try {
            return fromTree(MAPPER.readTree(json));
        } catch (final JsonProcessingException e) {
            throw new InvalidDatasetException("not valid JSON: " + e.getOriginalMessage());
        }
    }

    private static EvalDataset fromTree(final JsonNode root) {
        if (root == null || !root.isObject()) {
            throw new InvalidDatasetException("$: expected an object with a \"conversations\" array");
        }
        requireOnly(root, "$", Set.of("conversations"));
        final JsonNode array = requireArray(root, "$", "conversations");
        final List<Conversation> conversations = new ArrayList<>(array.size());
        final Set<String> conversationIds = new HashSet<>();
        for (int i = 0; i < array.size(); i++) {
            final String path = "$.conversations[" + i + "]";
            final Conversation conversation = conversation(array.get(i), path);
            if (!conversationIds.add(conversation.id())) {
                throw new InvalidDatasetException(
                        path + ".id: duplicate conversation id \"" + conversation.id() + "\"");
            }
            conversations.add(conversation);
        }
        return new EvalDataset(conversations);
    }

    private static Conversation conversation(final JsonNode node, final String path) {
        requireObject(node, path);
        requireOnly(node, path, Set.of("id", "turns", "questions"));
        final String id = requireText(node, path, "id", false);
        final JsonNode turnArray = requireArray(node, path, "turns");
        final List<DialogueTurn> turns = new ArrayList<>(turnArray.size());
        final Set<String> turnIds = new HashSet<>();
        for (int i = 0; i < turnArray.size(); i++) {
            final String turnPath = path + ".turns[" + i + "]";
            final DialogueTurn turn = turn(turnArray.get(i), turnPath);
            if (!turnIds.add(turn.id())) {
                throw new InvalidDatasetException(
                        turnPath + ".id: duplicate turn id \"" + turn.id() + "\" in conversation \"" + id + "\"");
            }
            turns.add(turn);
        }
        final JsonNode questionArray = requireArray(node, path, "questions");
        final List<Question> questions = new ArrayList<>(questionArray.size());
        final Set<String> questionIds = new HashSet<>();
        for (int i = 0; i < questionArray.size(); i++) {
            final String questionPath = path + ".questions[" + i + "]";
            final Question question = question(questionArray.get(i), questionPath, turnIds);
            if (!questionIds.add(question.id())) {
                throw new InvalidDatasetException(questionPath + ".id: duplicate question id \"" + question.id()
                        + "\" in conversation \"" + id + "\"");
            }
            questions.add(question);
        }
        return new Conversation(id, turns, questions);
    }

    private static DialogueTurn turn(final JsonNode node, final String path) {
        requireObject(node, path);
        requireOnly(node, path, Set.of("id", "speaker", "text", "session", "time"));
        final String id = requireText(node, path, "id", false);
        final String speaker = requireText(node, path, "speaker", true);
        final String text = requireText(node, path, "text", false);
        final String session = requireText(node, path, "session", true);
        final String time = requireText(node, path, "time", false);
        final long timeMillis;
        try {
            timeMillis = OffsetDateTime.parse(time).toInstant().toEpochMilli();
        } catch (final DateTimeParseException e) {
            throw new InvalidDatasetException(path + ".time: \"" + time
                    + "\" is not an ISO-8601 date-time with offset, e.g. 2023-05-08T13:56:00Z");
        }
        return new DialogueTurn(id, speaker, text, session, timeMillis);
    }

    private static Question question(final JsonNode node, final String path, final Set<String> turnIds) {
        requireObject(node, path);
        requireOnly(node, path, Set.of("id", "question", "evidence", "category"));
        final String id = requireText(node, path, "id", false);
        final String text = requireText(node, path, "question", false);
        final String category = requireText(node, path, "category", false);
        final JsonNode evidenceArray = requireArray(node, path, "evidence");
        if (evidenceArray.isEmpty()) {
            throw new InvalidDatasetException(path + ".evidence: must name at least one turn");
        }
        final List<String> evidence = new ArrayList<>(evidenceArray.size());
        for (int i = 0; i < evidenceArray.size(); i++) {
            final JsonNode item = evidenceArray.get(i);
            final String itemPath = path + ".evidence[" + i + "]";
            if (!item.isTextual()) {
                throw new InvalidDatasetException(itemPath + ": expected a turn id string");
            }
            final String turnId = item.asText();
            if (!turnIds.contains(turnId)) {
                throw new InvalidDatasetException(itemPath + ": unknown turn id \"" + turnId + "\"");
            }
            if (evidence.contains(turnId)) {
                throw new InvalidDatasetException(itemPath + ": turn id \"" + turnId + "\" listed twice");
            }
            evidence.add(turnId);
        }
        return new Question(id, text, evidence, category);
    }

    private static void requireObject(final JsonNode node, final String path) {
        if (node == null || !node.isObject()) {
            throw new InvalidDatasetException(path + ": expected an object");
        }
    }

    private static void requireOnly(final JsonNode node, final String path, final Set<String> allowed) {
        final Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            final String name = names.next();
            if (!allowed.contains(name)) {
                throw new InvalidDatasetException(path + ": unknown field \"" + name + "\"; allowed: "
                        + allowed.stream().sorted().toList());
            }
        }
    }

    private static JsonNode requireArray(final JsonNode node, final String path, final String field) {
        final JsonNode value = node.get(field);
        if (value == null || !value.isArray()) {
            throw new InvalidDatasetException(path + "." + field + ": required array is missing or not an array");
        }
        return value;
    }

    private static String requireText(
            final JsonNode node, final String path, final String field, final boolean blankAllowed) {
        final JsonNode value = node.get(field);
        if (value == null || !value.isTextual()) {
            throw new InvalidDatasetException(path + "." + field + ": required string is missing or not a string");
        }
        final String text = value.asText();
        if (!blankAllowed && text.isBlank()) {
            throw new InvalidDatasetException(path + "." + field + ": must not be blank");
        }
        return text;
    }
}
