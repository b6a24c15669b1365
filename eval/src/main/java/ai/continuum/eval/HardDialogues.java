package ai.continuum.eval;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.TextStyle;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Deterministic generator of the hard recall sets: long two-person chats over many sessions, with questions whose
 * evidence is known by construction and that plain keyword matching gets wrong.
 * <ul>
 *   <li>multi-hop, chained: a relative is introduced in one session and only named in the 1-2 later turns that
 *       complete the answer ("My cousin Ilse ..." then "Ilse got a ferret ..."), so the question (which names the
 *       relation, not the name) reaches the later turns only through the shared concept;</li>
 *   <li>multi-hop, gathered: an activity done with the same friend in 2-4 different sessions, all of them asked
 *       for;</li>
 *   <li>open-domain: a paraphrase question sharing no content word with its evidence (a test checks this with
 *       Lucene's English analyzer);</li>
 *   <li>knowledge-update: a fact restated with a new value 1-2 times in later sessions, in the same words; the
 *       evidence is the newest statement only;</li>
 *   <li>temporal: a thing done in several months, asked for one named month; or what was done the week after a
 *       named event, among the same kind of turn in other weeks;</li>
 *   <li>single-hop: a fact stated once.</li>
 * </ul>
 * The {@link Split#DEV} and {@link Split#HELD_OUT} splits draw names, places, things and paraphrase pairs from
 * disjoint pools, so tuning recall on the development split cannot learn the held-out split's words; the sentence
 * templates are shared. Small talk fills the rest and reuses the questions' everyday words (week, work, friend, live).
 * The same split, seed and size always give the same dataset. Stateless.
 */
public final class HardDialogues {

    /** Which disjoint vocabulary a dataset draws from. */
    public enum Split {
        DEV(0),
        HELD_OUT(1);

        private final int pool;

        Split(final int pool) {
            this.pool = pool;
        }

        /** Parses {@code dev} or {@code held-out}. */
        public static Split parse(final String name) {
            return switch (name) {
                case "dev" -> DEV;
                case "held-out" -> HELD_OUT;
                default -> throw new IllegalArgumentException("unknown split \"" + name + "\"; known: dev, held-out");
            };
        }
    }

    private static final String[][] SPEAKERS = {
        {"Ann", "Ben", "Clara", "Dmitri", "Elena", "Felix", "Grace", "Hugo", "Iris", "Jonah", "Kira", "Liam"},
        {"Quinn", "Rosa", "Sami", "Tara", "Umar", "Vera", "Wes", "Xena", "Yusuf", "Zoe", "Aiko", "Bruno"}
    };
    private static final String[][] RELATIVES_NAMES = {
        {"Ilse", "Marek", "Noor", "Otto", "Petra", "Rafael", "Sunniva", "Tomasz", "Ulla", "Viggo"},
        {"Agathe", "Bertil", "Corin", "Dagny", "Evander", "Fenna", "Gaspard", "Hilde", "Ignatius", "Jorun"}
    };
    private static final String[] RELATIONS = {"cousin", "sister", "brother", "aunt", "uncle", "nephew", "niece"};
    private static final String[][] PROFESSIONS = {
        {"welder", "pharmacist", "surveyor", "glassblower", "zookeeper", "stonemason"},
        {"cartographer", "sommelier", "blacksmith", "anesthetist", "luthier", "actuary"}
    };
    private static final String[][] PETS = {
        {"ferret", "tortoise", "cockatoo", "hedgehog", "chinchilla"},
        {"iguana", "axolotl", "gecko", "lovebird", "degu"}
    };
    private static final String[][] PET_NAMES = {
        {"Biscuit", "Pickle", "Mango", "Waffles", "Juniper", "Noodle"},
        {"Quokka", "Tamarind", "Zephyr", "Paprika", "Umber", "Kumquat"}
    };
    private static final String[][] CLINICS = {
        {"Greenfield", "Hollybrook", "Larchmont", "Westmere"},
        {"Ravenscar", "Thornbury", "Elmstead", "Kingsmoor"}
    };
    private static final String[][] FRIENDS = {
        {"Mateo", "Saoirse", "Kwame", "Ingrid", "Lucien", "Yara"},
        {"Oisin", "Thandiwe", "Björn", "Paloma", "Casimir", "Leilani"}
    };
    private static final String[][] ACTIVITIES = {
        {
            "went bouldering",
            "tried a pottery class",
            "went kayaking on the lake",
            "did an escape room",
            "went to a salsa night",
            "played squash",
            "went birdwatching"
        },
        {
            "went fencing",
            "took a glass-blowing workshop",
            "went paddleboarding",
            "tried axe throwing",
            "went to a tango evening",
            "played padel",
            "went stargazing"
        }
    };
    private static final String[][] CITIES = {
        {"Lisbon", "Ghent", "Krakow", "Tallinn", "Bergen", "Galway", "Seville"},
        {"Ljubljana", "Aarhus", "Turku", "Vilnius", "Graz", "Bilbao", "Brno"}
    };
    private static final String[][] CARS = {
        {"a red Fiat Panda", "a grey Skoda Octavia", "a blue Toyota Yaris", "a white Renault Clio"},
        {"a green Volvo estate", "a black Mazda MX-5", "a silver Kia Ceed", "a yellow Citroen Ami"}
    };
    private static final String[][] BOOKS = {
        {"Middlemarch", "Dune", "Piranesi", "Beloved", "Rebecca"},
        {"Stoner", "Solaris", "Ulysses", "Kindred", "Hyperion"}
    };
    private static final String[][] GYMS = {
        {"Ironworks", "Pulse Fitness", "Summit Climbing", "Riverside Leisure"},
        {"Forge Athletic", "Kinetic Club", "Basecamp Boulders", "Lido Baths"}
    };
    private static final String[][] BANDS = {
        {"the Velvet Foxes", "Moonlit Tram", "Copper Harbour", "the Static Gulls", "Paper Lanterns"},
        {"the Salt Pilots", "Glass Orchard", "Northern Kites", "the Quiet Engines", "Amber Season"}
    };
    private static final String[][] EVENTS = {
        {"housewarming party", "office quiz night", "charity bake sale", "school reunion"},
        {"retirement dinner", "garden party", "book launch", "wine tasting"}
    };
    private static final String[][] DISHES = {{"ramen", "tacos", "dumplings"}, {"pho", "paella", "pierogi"}};
    private static final String[][] RESTAURANTS = {
        {"Kiln", "Lantern House", "Saltbox"}, {"Ember Yard", "Driftwood", "Cinder Hall"}
    };

    /**
     * Paraphrase pairs: evidence text, question (with %s for the speaker). No content word of the question, after
     * stemming, occurs in the evidence; {@code HardDialoguesTest} holds this.
     */
    private static final String[][][] PARAPHRASES = {
        {
            {"I finally passed my driving test this morning!", "Has %s obtained a licence to operate a vehicle?"},
            {
                "My doctor says I have to stop eating sugar completely.",
                "Which diet restriction was %s given by a physician?"
            },
            {"We are expecting a baby girl in June!", "Is the family of %s growing, with a son or a daughter?"},
            {"I quit smoking three months ago and feel great.", "Did %s give up cigarettes?"},
            {"Our flat got flooded when the pipe under the sink burst.", "What water damage happened in the home of %s?"
            },
            {"I broke my wrist falling off a ladder.", "What injury did %s suffer recently?"},
            {"I am learning to play the cello on weekends.", "Which string instrument is %s studying?"},
            {"My grandmother turned one hundred yesterday.", "How old is the granny of %s now?"}
        },
        {
            {"I got promoted to head of the design team.", "Did %s move up at the office?"},
            {"We adopted two kittens from the shelter.", "Which animals joined the household of %s?"},
            {"I ran my first marathon in under four hours.", "What long-distance race did %s complete?"},
            {"The dentist pulled out two of my teeth.", "What oral surgery did %s undergo?"},
            {"I'm allergic to peanuts, so I carry an epipen.", "Which food makes %s sick?"},
            {"Our landlord raised the rent by two hundred a month.", "How much more does %s pay for housing?"},
            {"I sold my old motorbike to a neighbour.", "What vehicle did %s get rid of?"},
            {"My son won the school chess tournament.", "Which board game competition did the child of %s win?"}
        }
    };

    private static final String[] FILLER = {
        "Work has been busy this week, I barely had time for anything.",
        "Did you watch the match last night?",
        "I'm thinking of cooking pasta for dinner.",
        "The weather here has been awful, rain every day.",
        "We should plan a trip somewhere soon.",
        "I need to get a new phone, mine keeps freezing.",
        "Haha, yes, totally.",
        "That sounds great!",
        "I'm so tired today.",
        "Any plans for the weekend?",
        "My friend says the new cafe in town is nice.",
        "I went for a long walk in the park.",
        "Let's grab coffee next week.",
        "I read an interesting article about sleep.",
        "My family called me yesterday, all good.",
        "Where do you live these days, still the same place?",
        "The traffic this morning was unbelievable.",
        "I finished a really long book last week.",
        "I keep forgetting to water the plants.",
        "Our neighbours had a loud party again.",
        "What did you do this week?",
        "I've been meaning to visit my relatives.",
        "The new series everyone talks about is overrated.",
        "Work drinks on Friday, are you coming?",
        "My car needs a service soon.",
        "I tried a new recipe, it was a disaster.",
        "We had a quiet evening at home.",
        "Honestly I just want a holiday.",
        "The gym was packed tonight.",
        "Did I tell you about my friend's new job?"
    };

    private static final int SESSIONS = 12;
    private static final int TURNS_PER_SESSION = 22;

    private HardDialogues() {}

    /**
     * Generates a data set of hard dialogues, the same for the same arguments.
     *
     * @param split         which vocabulary to draw from.
     * @param conversations number of conversations, >= 1.
     * @param seed          generator seed.
     */
    public static EvalDataset generate(final Split split, final int conversations, final long seed) {
        if (conversations < 1) {
            throw new IllegalArgumentException("conversations=" + conversations + " must be >= 1");
        }
        final List<EvalDataset.Conversation> out = new ArrayList<>(conversations);
        for (int c = 0; c < conversations; c++) {
            final SplittableRandom random = new SplittableRandom(seed * 1_000_003L + c * 7919L + split.pool);
            out.add(new ConversationBuilder(split.pool, c, random).build());
        }
        return new EvalDataset(out);
    }

    /** One conversation: a grid of session slots, facts placed into free slots, small talk in the rest. */
    private static final class ConversationBuilder {
        private final int pool;
        private final int index;
        private final SplittableRandom random;
        private final String a;
        private final String b;
        private final String[][] slots = new String[SESSIONS][TURNS_PER_SESSION];
        private final String[][] speakers = new String[SESSIONS][TURNS_PER_SESSION];
        /** Placed facts: session, slot; the turn id is assigned at the end. */
        private final List<int[]> placed = new ArrayList<>();

        private final List<PendingQuestion> questions = new ArrayList<>();
        private final long[] sessionStart = new long[SESSIONS];

        private record PendingQuestion(String text, String category, List<int[]> evidence) {}

        ConversationBuilder(final int pool, final int index, final SplittableRandom random) {
            this.pool = pool;
            this.index = index;
            this.random = random;
            final String[] names = SPEAKERS[pool];
            this.a = names[(2 * index) % names.length];
            this.b = names[(2 * index + 1) % names.length];
            // sessions 4-8 days apart from a per-conversation start in early 2023, at 19:00 UTC
            LocalDate day = LocalDate.of(2023, 1, 2).plusDays(random.nextInt(20));
            for (int s = 0; s < SESSIONS; s++) {
                sessionStart[s] = day.atTime(19, 0).toInstant(ZoneOffset.UTC).toEpochMilli();
                day = day.plusDays(4 + random.nextInt(5));
            }
        }

        EvalDataset.Conversation build() {
            for (final String speaker : new String[] {a, b}) {
                chains(speaker);
                gathered(speaker);
                updates(speaker);
                monthQuestion(speaker);
                weekAfterQuestion(speaker);
                paraphrases(speaker);
                singleHops(speaker);
            }
            final List<EvalDataset.DialogueTurn> turns = new ArrayList<>();
            final int[][] ids = new int[SESSIONS][TURNS_PER_SESSION];
            for (int s = 0; s < SESSIONS; s++) {
                for (int t = 0; t < TURNS_PER_SESSION; t++) {
                    final String speaker = speakers[s][t] != null ? speakers[s][t] : (t % 2 == 0 ? a : b);
                    final String text = slots[s][t] != null ? slots[s][t] : FILLER[random.nextInt(FILLER.length)];
                    ids[s][t] = turns.size() + 1;
                    turns.add(new EvalDataset.DialogueTurn(
                            "t" + ids[s][t], speaker, text, "s" + (s + 1), sessionStart[s] + t * 60_000L));
                }
            }
            final List<EvalDataset.Question> qs = new ArrayList<>();
            for (final PendingQuestion q : questions) {
                final List<String> evidence = new ArrayList<>();
                for (final int[] e : q.evidence()) {
                    evidence.add("t" + ids[e[0]][e[1]]);
                }
                qs.add(new EvalDataset.Question("q" + (qs.size() + 1), q.text(), evidence, q.category()));
            }
            return new EvalDataset.Conversation(
                    "hard-" + (pool == 0 ? "dev" : "held-out") + "-" + (index + 1), turns, qs);
        }

        /** Relative introduced, then named in 1-2 later sessions; asked by relation, answered by the later turns. */
        private void chains(final String speaker) {
            final String relation = pick(RELATIONS);
            final String relative = pickUnused(RELATIVES_NAMES[pool]);
            final String profession = pick(PROFESSIONS[pool]);
            final String pet = pick(PETS[pool]);
            final String petName = pickUnused(PET_NAMES[pool]);
            final String clinic = pick(CLINICS[pool]);
            final int s1 = random.nextInt(SESSIONS - 6);
            final int s2 = s1 + 2 + random.nextInt(2);
            final int s3 = s2 + 2 + random.nextInt(2);
            final int[] intro = place(
                    s1, speaker, "My " + relation + " " + relative + " works as a " + profession + " these days.");
            final int[] got =
                    place(s2, speaker, relative + " got a " + pet + " last month, it is called " + petName + ".");
            final int[] vet = place(
                    s3,
                    speaker,
                    petName + " had to stay overnight at the " + clinic + " clinic, poor thing, but " + relative
                            + " says all is fine now.");
            ask(
                    "What is the name of the animal that the " + relation + " of " + speaker + " got?",
                    "multi-hop",
                    intro,
                    got);
            ask(
                    "Which clinic treated the pet of the " + relation + " of " + speaker + "?",
                    "multi-hop",
                    intro,
                    got,
                    vet);
        }

        /** The same friend, different activities in 2-4 sessions; all of them are the answer. */
        private void gathered(final String speaker) {
            final String friend = pickUnused(FRIENDS[pool]);
            final int count = 2 + random.nextInt(3);
            final List<int[]> evidence = new ArrayList<>();
            final List<String> done = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                String activity = pick(ACTIVITIES[pool]);
                while (done.contains(activity)) {
                    activity = pick(ACTIVITIES[pool]);
                }
                done.add(activity);
                final int s = (i * SESSIONS / count) + random.nextInt(SESSIONS / count);
                evidence.add(place(s, speaker, "On Saturday " + friend + " and I " + activity + ", so much fun."));
            }
            place(random.nextInt(SESSIONS), speaker, friend + " says hello, by the way.");
            ask(
                    "What activities has " + speaker + " done with " + friend + "?",
                    "multi-hop",
                    evidence.toArray(new int[0][]));
        }

        /** Where the speaker lives, what they drive, read, train at: restated 1-2 times with a new value. */
        private void updates(final String speaker) {
            update(speaker, CITIES[pool], "I live in %s now.", "Which city does " + speaker + " live in now?");
            update(speaker, CARS[pool], "These days I drive %s.", "What car does " + speaker + " drive these days?");
            update(
                    speaker,
                    BOOKS[pool],
                    "At the moment I'm reading %s.",
                    "What book is " + speaker + " reading at the moment?");
            update(speaker, GYMS[pool], "My gym is %s, I go twice a week.", "Which gym does " + speaker + " go to?");
        }

        private void update(final String speaker, final String[] values, final String template, final String question) {
            final int statements = 2 + random.nextInt(2);
            final List<String> used = new ArrayList<>();
            int session = random.nextInt(3);
            int[] last = null;
            for (int i = 0; i < statements && session < SESSIONS; i++) {
                String value = pick(values);
                while (used.contains(value)) {
                    value = pick(values);
                }
                used.add(value);
                last = place(session, speaker, String.format(Locale.ROOT, template, value));
                session += 3 + random.nextInt(3);
            }
            ask(question, "knowledge-update", last);
        }

        /** A band seen live in three different months; asked for one named month. */
        private void monthQuestion(final String speaker) {
            final List<int[]> concerts = new ArrayList<>();
            final List<String> months = new ArrayList<>();
            final List<String> bands = new ArrayList<>();
            for (int s = random.nextInt(2); s < SESSIONS && concerts.size() < 3; s += 1 + random.nextInt(2)) {
                final LocalDate date = LocalDate.ofEpochDay(sessionStart[s] / 86_400_000L);
                final String month =
                        date.getMonth().getDisplayName(TextStyle.FULL, Locale.ENGLISH) + " " + date.getYear();
                if (months.contains(month)) {
                    continue;
                }
                String band = pick(BANDS[pool]);
                while (bands.contains(band)) {
                    band = pick(BANDS[pool]);
                }
                months.add(month);
                bands.add(band);
                concerts.add(place(s, speaker, "I saw " + band + " live tonight, what a show."));
            }
            final int asked = random.nextInt(concerts.size());
            ask(
                    "Which band did " + speaker + " see live in " + months.get(asked) + "?",
                    "temporal",
                    concerts.get(asked));
        }

        /** An event, then "this week I ..." turns in several weeks; asked for the week after the event. */
        private void weekAfterQuestion(final String speaker) {
            final String event = pick(EVENTS[pool]);
            final int s = 1 + random.nextInt(SESSIONS - 5);
            place(s, speaker, "The " + event + " was lovely, thanks for coming.");
            int after = s + 1;
            while (after < SESSIONS && sessionStart[after] - sessionStart[s] < 3 * 86_400_000L) {
                after++;
            }
            final List<String> used = new ArrayList<>();
            final String answer = pick(ACTIVITIES[pool]);
            used.add(answer);
            final int[] evidence = place(after, speaker, "This week I " + answer + " after work.");
            for (final int other : new int[] {s - 1, after + 2}) {
                if (other >= 0 && other < SESSIONS) {
                    String activity = pick(ACTIVITIES[pool]);
                    while (used.contains(activity)) {
                        activity = pick(ACTIVITIES[pool]);
                    }
                    used.add(activity);
                    place(other, speaker, "This week I " + activity + " after work.");
                }
            }
            ask("What did " + speaker + " do the week after the " + event + "?", "temporal", evidence);
        }

        private void paraphrases(final String speaker) {
            final String[][] pairs = PARAPHRASES[pool];
            for (int i = 0; i < 2; i++) {
                int choice = random.nextInt(pairs.length);
                while (paraphrasesUsed.contains(choice)) {
                    choice = random.nextInt(pairs.length);
                }
                paraphrasesUsed.add(choice);
                final String[] pair = pairs[choice];
                final int[] evidence = place(random.nextInt(SESSIONS), speaker, pair[0]);
                ask(String.format(Locale.ROOT, pair[1], speaker), "open-domain", evidence);
            }
        }

        private void singleHops(final String speaker) {
            final String dish = pick(DISHES[pool]);
            final String restaurant = pick(RESTAURANTS[pool]);
            ask(
                    "Where does " + speaker + " like to eat " + dish + "?",
                    "single-hop",
                    place(
                            random.nextInt(SESSIONS),
                            speaker,
                            "The best " + dish + " in town is at " + restaurant + ", I go there all the time."));
            final String friend = pickUnused(FRIENDS[pool]);
            final String city = pick(CITIES[pool]);
            ask(
                    "Where did " + friend + " move to?",
                    "single-hop",
                    place(
                            random.nextInt(SESSIONS),
                            speaker,
                            "Remember " + friend + "? " + friend + " moved to " + city + " for a new job."));
        }

        /** Puts a fact into a free slot of the session (small talk stays in the rest); returns {session, slot}. */
        private int[] place(final int session, final String speaker, final String text) {
            for (int attempt = 0; attempt < 4 * TURNS_PER_SESSION; attempt++) {
                final int t = random.nextInt(TURNS_PER_SESSION);
                if (slots[session][t] == null) {
                    slots[session][t] = text;
                    speakers[session][t] = speaker;
                    final int[] at = {session, t};
                    placed.add(at);
                    return at;
                }
            }
            throw new IllegalStateException("session " + session + " has no free slot; raise TURNS_PER_SESSION");
        }

        private void ask(final String text, final String category, final int[]... evidence) {
            questions.add(new PendingQuestion(text, category, List.of(evidence)));
        }

        private String pick(final String[] values) {
            return values[random.nextInt(values.length)];
        }

        private final List<String> taken = new ArrayList<>();
        private final List<Integer> paraphrasesUsed = new ArrayList<>();

        /** A value no other fact of this conversation uses, so a question has one answer. */
        private String pickUnused(final String[] values) {
            for (int attempt = 0; attempt < 100; attempt++) {
                final String value = pick(values);
                if (!taken.contains(value)) {
                    taken.add(value);
                    return value;
                }
            }
            throw new IllegalStateException("pool exhausted: " + String.join(", ", values));
        }
    }
}
