package ai.continuum.eval;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.similarities.BM25Similarity;
import org.apache.lucene.store.ByteBuffersDirectory;

/**
 * The lexical baseline: Lucene BM25 (default k1 = 1.2, b = 0.75) over the same turn text Continuum learns
 * ({@code "Speaker: text"}), analysed with {@link EnglishAnalyzer} (lower-casing, English stop words, Porter stemming).
 *
 * <p>A question becomes a disjunction of its analysed terms, one SHOULD clause per term occurrence, which is what a
 * classic query parser produces for escaped free text, so no query syntax in a question can break the search.
 * Not thread-safe.
 */
public final class Bm25Retriever implements Retriever {

    static final String ID_FIELD = "id";
    static final String TEXT_FIELD = "text";

    private final Analyzer analyzer = new EnglishAnalyzer();

    @Override
    public String name() {
        return "bm25";
    }

    @Override
    public IndexedConversation index(final EvalDataset.Conversation conversation) {
        final ByteBuffersDirectory directory = new ByteBuffersDirectory();
        final IndexWriterConfig config = new IndexWriterConfig(analyzer).setSimilarity(new BM25Similarity());
        try (IndexWriter writer = new IndexWriter(directory, config)) {
            for (final EvalDataset.DialogueTurn turn : conversation.turns()) {
                final Document document = new Document();
                document.add(new StoredField(ID_FIELD, turn.id()));
                document.add(new TextField(TEXT_FIELD, turn.indexedText(), Field.Store.NO));
                writer.addDocument(document);
            }
            writer.commit();
            final DirectoryReader reader = DirectoryReader.open(directory);
            final IndexSearcher searcher = new IndexSearcher(reader);
            searcher.setSimilarity(new BM25Similarity());
            return new Index(directory, reader, searcher);
        } catch (final IOException e) {
            throw new UncheckedIOException("indexing conversation " + conversation.id(), e);
        }
    }

    /** The analysed terms of {@code text}, in order, duplicates kept. */
    List<String> analyse(final String text) {
        final List<String> terms = new ArrayList<>();
        try (TokenStream stream = analyzer.tokenStream(TEXT_FIELD, text)) {
            final CharTermAttribute term = stream.addAttribute(CharTermAttribute.class);
            stream.reset();
            while (stream.incrementToken()) {
                terms.add(term.toString());
            }
            stream.end();
        } catch (final IOException e) {
            throw new UncheckedIOException("analysing query", e);
        }
        return terms;
    }

    @Override
    public void close() {
        analyzer.close();
    }

    private final class Index implements IndexedConversation {
        private final ByteBuffersDirectory directory;
        private final DirectoryReader reader;
        private final IndexSearcher searcher;

        Index(final ByteBuffersDirectory directory, final DirectoryReader reader, final IndexSearcher searcher) {
            this.directory = directory;
            this.reader = reader;
            this.searcher = searcher;
        }

        @Override
        public List<String> retrieve(final String question, final int limit) {
            final List<String> terms = analyse(question);
            if (terms.isEmpty()) {
                return List.of();
            }
            final int maxClauses = IndexSearcher.getMaxClauseCount();
            final BooleanQuery.Builder query = new BooleanQuery.Builder();
            for (int i = 0; i < terms.size() && i < maxClauses; i++) {
                query.add(new TermQuery(new Term(TEXT_FIELD, terms.get(i))), BooleanClause.Occur.SHOULD);
            }
            try {
                final ScoreDoc[] hits = searcher.search(query.build(), limit).scoreDocs;
                final StoredFields stored = searcher.storedFields();
                final List<String> ids = new ArrayList<>(hits.length);
                for (final ScoreDoc hit : hits) {
                    ids.add(stored.document(hit.doc).get(ID_FIELD));
                }
                return ids;
            } catch (final IOException e) {
                throw new UncheckedIOException("searching \"" + question + "\"", e);
            }
        }

        @Override
        public void close() {
            try {
                reader.close();
                directory.close();
            } catch (final IOException e) {
                throw new UncheckedIOException("closing index", e);
            }
        }
    }
}
