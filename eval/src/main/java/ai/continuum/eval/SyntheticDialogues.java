package ai.continuum.eval;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.TextStyle;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Deterministic generator of large labelled dialogues: two friends chat over many sessions about the people they know
 * (jobs, hobbies, pets, trips, where they live, who is related to whom), among a majority of small talk. Each fact
 * is stated in exactly one turn, so every question's evidence is known by construction:
 * <ul>
 *   <li>single-hop: a hobby, a job, a pet's name, stated once;</li>
 *   <li>knowledge-update: where someone lives now, stated in a first-half turn and changed in a second-half turn
 *       (the evidence is the move);</li>
 *   <li>temporal: the date of someone's trip;</li>
 *   <li>multi-hop: what someone's relative does, joining the relation turn and the relative's job turn.</li>
 * </ul>
 * Small talk never states a fact about a tracked person, so it cannot answer a question, but it names them often
 * and reuses the same cities, hobbies and foods, so neither a name nor a keyword alone finds the evidence.
 * The same seed and sizes always give the same dataset. Stateless.
 */
public final class SyntheticDialogues {

    private static final String[] NAMES = {
        "Aiden",
        "Beatrice",
        "Carlos",
        "Dalia",
        "Emeka",
        "Freya",
        "Gustavo",
        "Hana",
        "Ivan",
        "Jolene",
        "Kofi",
        "Lena",
        "Marcus",
        "Nadia",
        "Oskar",
        "Priya",
        "Quentin",
        "Rosa",
        "Sven",
        "Tamsin",
        "Umar",
        "Valeria",
        "Wendell",
        "Ximena",
        "Yusuf",
        "Zara",
        "Anselm",
        "Brigid",
        "Cyrus",
        "Delphine",
        "Elias",
        "Farah",
        "Gideon",
        "Hedda",
        "Ingrid",
        "Jasper",
        "Kirsten",
        "Lorenzo",
        "Mireille",
        "Nikolai",
        "Odette",
        "Pavel",
        "Rhiannon",
        "Soren",
        "Thea",
        "Ulrich",
        "Vivian",
        "Wilhelmina",
        "Yannick",
        "Zoltan",
        "Agnes",
        "Bastian",
        "Celeste",
        "Dmitri",
        "Esme",
        "Florian",
        "Greta",
        "Hugo",
        "Imogen",
        "Jonah"
    };
    private static final String[] CITIES = {
        "Lisbon", "Porto", "Valencia", "Bologna", "Lyon", "Ghent", "Krakow", "Tallinn", "Bergen", "Galway",
        "Edinburgh", "Seville", "Marseille", "Dresden", "Ljubljana", "Zagreb", "Aarhus", "Turku", "Vilnius", "Graz",
        "Utrecht", "Salzburg", "Bilbao", "Naples", "Antwerp", "Brno", "Riga", "Cork", "Bordeaux", "Leipzig"
    };
    private static final String[] JOBS = {
        "nurse",
        "carpenter",
        "pharmacist",
        "data analyst",
        "pastry chef",
        "architect",
        "librarian",
        "paramedic",
        "translator",
        "veterinarian",
        "electrician",
        "physiotherapist",
        "accountant",
        "journalist",
        "marine biologist",
        "pilot",
        "dentist",
        "tax lawyer",
        "sound engineer",
        "florist",
        "firefighter",
        "civil engineer",
        "midwife",
        "locksmith",
        "radio producer",
        "geologist",
        "school principal",
        "tailor",
        "optician",
        "beekeeper"
    };
    private static final String[] HOBBIES = {
        "bouldering",
        "pottery",
        "birdwatching",
        "sourdough baking",
        "salsa dancing",
        "chess",
        "woodworking",
        "kayaking",
        "astronomy",
        "knitting",
        "archery",
        "calligraphy",
        "beekeeping",
        "trail running",
        "origami",
        "fencing",
        "scuba diving",
        "watercolour painting",
        "rowing",
        "juggling",
        "gardening",
        "fly fishing",
        "stand-up comedy",
        "sailing",
        "photography",
        "ceramics",
        "cycling",
        "rock climbing",
        "choir singing",
        "skateboarding"
    };
    private static final String[] SPECIES = {
        "cat", "dog", "parrot", "tortoise", "rabbit", "hamster", "ferret", "iguana", "goldfish", "hedgehog"
    };
    private static final String[] PET_NAMES = {
        "Biscuit", "Pickle", "Mango", "Waffles", "Juniper", "Clementine", "Noodle", "Pepper", "Olive", "Truffle",
        "Ziggy", "Marmalade", "Socks", "Bramble", "Custard", "Nugget", "Pistachio", "Tofu", "Bean", "Gizmo"
    };
    private static final String[] COMPANIES = {
        "Northwind",
        "Bluegate",
        "Harbourline",
        "Copperleaf",
        "Redmoor",
        "Silverfield",
        "Oakridge",
        "Brightwater",
        "Stonebridge",
        "Fairhaven"
    };
    private static final String[] RELATIONS = {"sister", "brother", "cousin", "aunt", "uncle", "flatmate"};
    private static final String[] FOODS = {
        "ramen", "tacos", "risotto", "falafel", "dumplings", "curry", "paella", "pancakes", "lasagne", "pho"
    };
    private static final String[] FILLER = {
        "Long day at work, I'm exhausted.",
        "The weather turned cold again this morning.",
        "I had %FOOD% for lunch and it was surprisingly good.",
        "Have you seen any good films lately?",
        "I watched a documentary about %CITY% last night.",
        "My phone battery dies before noon these days.",
        "I keep meaning to try %HOBBY% one of these weekends.",
        "Traffic was terrible on the way home.",
        "I finally cleaned out the garage.",
        "There's a new place downtown that does great %FOOD%.",
        "I read an article saying %CITY% is getting really expensive.",
        "My neighbour's kid has taken up the drums, send help.",
        "I'm thinking of repainting the kitchen.",
        "Someone at the gym was talking about %HOBBY% for an hour.",
        "Do you think it's going to rain tomorrow?",
        "I slept badly, the street was noisy all night.",
        "The train was cancelled again.",
        "I found an old photo album from school.",
        "We should get %FOOD% together sometime.",
        "My laptop needs a new keyboard.",
        "Haha, that's so true.",
        "Honestly, same.",
        "I'm trying to drink less coffee this month.",
        "A friend of a friend just got back from %CITY% and loved it."
    };
    private static final String[] JOB_NEWS = {
        "%P% got a job as a %JOB% at %COMPANY%, they start next month.",
        "Big news from %P%: hired by %COMPANY% as a %JOB%!",
        "%P% finally left retail and works as a %JOB% now, at %COMPANY%."
    };
    private static final String[] HOBBY_NEWS = {
        // no word of its question ("Which hobby did P take up?") but the name: an earlier "Did I tell you P started
        // ..." answered it through "did" alone
        "Guess what, %P% started %HOBBY%! Every weekend now, apparently.",
        "%P% is completely obsessed with %HOBBY% these days.",
        "%P% signed up for a %HOBBY% class and loves it."
    };
    /** Small talk that names a tracked person without stating any fact a question asks about. */
    private static final String[] MENTIONS = {
        "I bumped into %PERSON% at the supermarket yesterday.",
        "%PERSON% says hi, by the way.",
        "Have you heard from %PERSON% lately?",
        "%PERSON% and I had coffee on Tuesday, it was nice to catch up.",
        "%PERSON% sent me the funniest meme this morning.",
        "I still owe %PERSON% a birthday card.",
        "Did %PERSON% ever return your umbrella?",
        "%PERSON% was in a great mood at the party."
    };
    /** Share of small-talk turns that name a tracked person. */
    private static final double MENTION_SHARE = 0.3;

    private SyntheticDialogues() {}

    /**
     * Generates {@code totalTurns} turns split into conversations of at most {@code turnsPerConversation}.
     *
     * @param totalTurns           turns over all conversations, >= 200.
     * @param turnsPerConversation turns per conversation, 200..100,000.
     * @param seed                 any value; equal arguments give an equal dataset.
     */
    public static EvalDataset generate(final int totalTurns, final int turnsPerConversation, final long seed) {
        if (turnsPerConversation < 200 || turnsPerConversation > 100_000) {
            throw new IllegalArgumentException(
                    "turnsPerConversation=" + turnsPerConversation + " must be in [200, 100000]");
        }
        if (totalTurns < 200) {
            throw new IllegalArgumentException("totalTurns=" + totalTurns + " must be >= 200");
        }
        final SplittableRandom random = new SplittableRandom(seed);
        final List<EvalDataset.Conversation> conversations = new ArrayList<>();
        int remaining = totalTurns;
        int index = 0;
        while (remaining > 0) {
            int size = Math.min(turnsPerConversation, remaining);
            if (remaining - size < 200 && remaining - size > 0) {
                size = remaining;
            }
            index++;
            conversations.add(conversation("syn" + index, size, random.split(), index));
            remaining -= size;
        }
        return new EvalDataset(conversations);
    }

    private static EvalDataset.Conversation conversation(
            final String id, final int turnCount, final SplittableRandom random, final int index) {
        final String[] names = NAMES.clone();
        shuffle(names, random);
        final String[] speakers = {names[0], names[1]};
        final int people = Math.min(names.length - 2, Math.max(6, turnCount / 60));
        final String[] slots = new String[turnCount];
        final List<EvalDataset.Question> questions = new ArrayList<>();
        final String[] jobTurn = new String[people];
        final String[] jobOf = new String[people];
        for (int p = 0; p < people; p++) {
            final String person = names[2 + p];
            final String job = pick(JOBS, random);
            final int jobPos = place(
                    slots,
                    random,
                    0,
                    turnCount,
                    pick(JOB_NEWS, random)
                            .replace("%P%", person)
                            .replace("%JOB%", job)
                            .replace("%COMPANY%", pick(COMPANIES, random)));
            jobTurn[p] = turnId(jobPos);
            jobOf[p] = job;
            add(questions, "What does " + person + " do for a living?", "single-hop", jobTurn[p]);

            final int hobbyPos = place(
                    slots,
                    random,
                    0,
                    turnCount,
                    pick(HOBBY_NEWS, random).replace("%P%", person).replace("%HOBBY%", pick(HOBBIES, random)));
            add(questions, "Which hobby did " + person + " take up?", "single-hop", turnId(hobbyPos));

            final String species = pick(SPECIES, random);
            final int petPos = place(
                    slots,
                    random,
                    0,
                    turnCount,
                    person + " adopted a " + species + " called " + pick(PET_NAMES, random) + " from the shelter.");
            add(questions, "What is the name of " + person + "'s " + species + "?", "single-hop", turnId(petPos));

            final String home = pick(CITIES, random);
            String next = pick(CITIES, random);
            while (next.equals(home)) {
                next = pick(CITIES, random);
            }
            place(slots, random, 0, turnCount / 2, person + " lives in " + home + ", right by the old market.");
            final int movePos = place(
                    slots,
                    random,
                    turnCount / 2,
                    turnCount,
                    person + " packed everything up and " + "moved from " + home + " to " + next + " last week.");
            add(questions, "Which city does " + person + " live in now?", "knowledge-update", turnId(movePos));

            final LocalDate date = LocalDate.of(2024, 1, 1).plusDays(random.nextInt(365));
            final String destination = pick(CITIES, random);
            final int tripPos = place(
                    slots,
                    random,
                    0,
                    turnCount,
                    person + " is flying to " + destination + " on "
                            + date.getDayOfMonth() + " "
                            + date.getMonth().getDisplayName(TextStyle.FULL, Locale.ENGLISH)
                            + " for a conference.");
            add(questions, "When is " + person + " travelling to " + destination + "?", "temporal", turnId(tripPos));
        }
        for (int p = 0; p + 1 < people; p += 2) {
            final String relation = pick(RELATIONS, random);
            final int relationPos = place(
                    slots,
                    random,
                    0,
                    turnCount,
                    "Funny thing, " + names[3 + p] + " is " + names[2 + p] + "'s " + relation
                            + ", I had no idea until yesterday.");
            add(
                    questions,
                    "What job does " + names[2 + p] + "'s " + relation + " have?",
                    "multi-hop",
                    turnId(relationPos),
                    jobTurn[p + 1]);
        }
        final List<EvalDataset.DialogueTurn> turns = new ArrayList<>(turnCount);
        long time =
                LocalDate.of(2023, 1, 2).atTime(9, 0).toInstant(ZoneOffset.UTC).toEpochMilli() + index * 86_400_000L;
        int session = 1;
        int sessionLeft = 15 + random.nextInt(20);
        for (int i = 0; i < turnCount; i++) {
            if (sessionLeft == 0) {
                session++;
                sessionLeft = 15 + random.nextInt(20);
                time += (1 + random.nextInt(4)) * 86_400_000L + random.nextInt(600) * 60_000L;
            }
            sessionLeft--;
            time += (1 + random.nextInt(3)) * 60_000L;
            final String text;
            if (slots[i] != null) {
                text = slots[i];
            } else if (random.nextDouble() < MENTION_SHARE) {
                text = pick(MENTIONS, random).replace("%PERSON%", names[2 + random.nextInt(people)]);
            } else {
                text = filler(random);
            }
            turns.add(new EvalDataset.DialogueTurn(turnId(i), speakers[i % 2], text, "s" + session, time));
        }
        return new EvalDataset.Conversation(id, turns, questions);
    }

    private static void add(
            final List<EvalDataset.Question> questions,
            final String text,
            final String category,
            final String... evidence) {
        questions.add(new EvalDataset.Question("q" + (questions.size() + 1), text, Arrays.asList(evidence), category));
    }

    /** Puts {@code text} into a free slot of [from, to) and returns its index; the range always has free slots. */
    private static int place(
            final String[] slots, final SplittableRandom random, final int from, final int to, final String text) {
        for (int attempt = 0; attempt < 64; attempt++) {
            final int pos = from + random.nextInt(to - from);
            if (slots[pos] == null) {
                slots[pos] = text;
                return pos;
            }
        }
        for (int pos = from; pos < to; pos++) {
            if (slots[pos] == null) {
                slots[pos] = text;
                return pos;
            }
        }
        throw new IllegalStateException("no free turn in [" + from + ", " + to + ")");
    }

    private static String filler(final SplittableRandom random) {
        return pick(FILLER, random)
                .replace("%FOOD%", pick(FOODS, random))
                .replace("%CITY%", pick(CITIES, random))
                .replace("%HOBBY%", pick(HOBBIES, random));
    }

    private static String turnId(final int index) {
        return "t" + (index + 1);
    }

    private static String pick(final String[] values, final SplittableRandom random) {
        return values[random.nextInt(values.length)];
    }

    private static void shuffle(final String[] values, final SplittableRandom random) {
        for (int i = values.length - 1; i > 0; i--) {
            final int j = random.nextInt(i + 1);
            final String swap = values[i];
            values[i] = values[j];
            values[j] = swap;
        }
    }
}
