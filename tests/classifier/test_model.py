import numpy as np
import pytest

from classifier import (
    DEPARTMENTS,
    NONE_LABEL,
    REFERRALS,
    Example,
    Prediction,
    RoutingModel,
    evaluate,
    load_eval,
    load_fresh,
    normalize,
    train,
)
from classifier.danger import mentions_danger
from classifier.model import choose_threshold, choose_urgency_threshold, is_urgent


def test_routes_heldout_well(model: RoutingModel, heldout_examples: list[Example]) -> None:
    # Floors a few points under what the shipped corpus gives, so that a
    # regression, not a reworded example, trips them.
    figures = evaluate(model, heldout_examples)
    assert figures.coverage >= 0.90
    assert figures.accuracy >= 0.80
    assert figures.routed_accuracy >= 0.85
    assert figures.held_back >= 0.85
    assert figures.urgent_recall >= 0.80


def test_routes_the_independent_set_well(model: RoutingModel) -> None:
    figures = evaluate(model, load_fresh())
    assert figures.accuracy >= 0.90
    assert figures.held_back >= 0.80
    assert figures.urgent_recall >= 0.80


def test_the_separate_evaluation_set_stays_above_its_floors(model: RoutingModel) -> None:
    # classifier/eval/ was written apart from the corpus (other situations and wording).
    # Measured with the corpus of this commit: department accuracy 0.980, urgent recall 0.839
    # with 3.3 % false alarms, referral accuracy 0.892 (precision 1.000), held back 1.000;
    # the floors leave a few points for a reworded corpus line, not for a regression.
    figures = evaluate(model, load_eval())
    assert figures.n >= 150 and figures.n_referrals >= 30
    assert figures.accuracy >= 0.90
    assert figures.urgent_recall >= 0.80
    assert figures.urgent_false_alarms <= 0.06
    assert figures.referral_accuracy >= 0.80
    assert figures.referral_precision >= 0.90
    assert figures.held_back >= 0.80


@pytest.mark.parametrize(
    ("text", "authority"),
    [
        ("listrik di gang kami mati sejak tadi pagi, kata tetangga gardunya rusak", "PLN"),
        ("Saya beli token listrik lewat m-banking tapi angkanya tidak bisa dimasukkan", "PLN"),
        ("Sepeda motor saya dicuri orang di depan kos tadi subuh, ada CCTV pelakunya", "POLRESTA"),
        (
            "Aspal jalan tol Malang-Pandaan dekat gerbang Singosari berlubang, ban saya robek",
            "JASA_MARGA",
        ),
        (
            "SMK negeri tempat anak saya sekolah menahan ijazah karena uang komite belum lunas",
            "PEMPROV_JATIM",
        ),
        (
            "Samsat menolak perpanjangan STNK saya karena pajak kendaraan dianggap belum dibayar",
            "PEMPROV_JATIM",
        ),
        ("Status BPJS Kesehatan keluarga saya nonaktif padahal iuran selalu dibayar", "BPJS"),
        ("Pencairan JHT dari BPJS Ketenagakerjaan saya ditolak terus tanpa alasan", "BPJS"),
        ("Biaya akad nikah di KUA diminta lebih mahal dari tarif resmi oleh petugasnya", "KEMENAG"),
        ("Sudah sepuluh tahun menunggu berangkat haji, nomor porsinya belum dipanggil", "KEMENAG"),
        (
            "Jalan di Desa Ngijo Kecamatan Karangploso rusak berat, kami warga Kabupaten Malang",
            "KAB_MALANG",
        ),
        ("Sampah di pasar Kecamatan Singosari tidak diangkut berhari-hari", "KAB_MALANG"),
        ("Parkir di sekitar Alun-alun Kota Batu tarifnya seenaknya dan tanpa karcis", "KOTA_BATU"),
        ("Air PDAM di Kecamatan Bumiaji Kota Batu mati sejak kemarin", "KOTA_BATU"),
        ("Jalan nasional Malang-Surabaya di daerah Lawang penuh lubang, truk oleng", "BBPJN"),
        ("Drainase jalan nasional arah Kepanjen tersumbat, air menggenang di badan jalan", "BBPJN"),
    ],
)
def test_matters_of_other_authorities_are_referred(
    model: RoutingModel, text: str, authority: str
) -> None:
    prediction = model.predict_one(text)
    assert (prediction.department, prediction.refer_to) == (None, authority)


def test_every_authority_has_unseen_referral_sentences() -> None:
    cases = test_matters_of_other_authorities_are_referred.pytestmark[0].args[1]
    assert {authority for _, authority in cases} == set(REFERRALS)


@pytest.mark.parametrize(
    "text", ["apakah ini akun resmi?", "min, ini akun resmi pemkot atau bukan?"]
)
def test_questions_about_the_channel_are_neither_routed_nor_referred(
    model: RoutingModel, text: str
) -> None:
    assert model.predict_one(text).answer is None


@pytest.mark.parametrize(
    ("text", "department", "urgent"),
    [
        ("tolong ada kebakaran rumah di gang 3 sawojajar, apinya sudah besar", "DAMKAR", True),
        ("sampah di TPS dekat pasar belum diangkut seminggu, bau sekali", "DLH", False),
        ("air PDAM mati sejak kemarin sore di perumahan kami", "TUGU_TIRTA", False),
        ("cara bayar PBB online gimana ya min? tagihannya belum muncul", "BAPENDA", False),
    ],
)
def test_obvious_reports(model: RoutingModel, text: str, department: str, urgent: bool) -> None:
    prediction = model.predict_one(text)
    assert (prediction.department, prediction.urgent) == (department, urgent)


@pytest.mark.parametrize("text", ["halo min", "terima kasih banyak ya", "p", "selamat pagi 🙏"])
def test_chatter_is_held_back(model: RoutingModel, text: str) -> None:
    assert model.predict_one(text).department is None


def test_prediction_shape(model: RoutingModel, heldout_examples: list[Example]) -> None:
    for prediction in model.predict([example.text for example in heldout_examples]):
        codes = [code for code, _ in prediction.top]
        probabilities = [probability for _, probability in prediction.top]
        assert len(prediction.top) == 3
        assert set(codes) <= set(DEPARTMENTS)
        assert probabilities == sorted(probabilities, reverse=True)
        assert prediction.department in (codes[0], None)
        if prediction.refer_to:
            # A referral: no department, and the confidence is the authority's.
            assert prediction.department is None and prediction.refer_to in REFERRALS
            assert prediction.confidence >= model.threshold
        else:
            assert prediction.confidence == probabilities[0]
        if prediction.department:
            assert prediction.confidence >= model.threshold


def test_fast_scoring_matches_scikit_learn(
    model: RoutingModel, heldout_examples: list[Example]
) -> None:
    texts = [example.text for example in heldout_examples]
    normalised = [normalize(text) for text in texts]
    labels = list(model.department_pipeline.classes_)
    expected = model.department_pipeline.predict_proba(normalised)
    urgency = model.urgency_pipeline.predict_proba(normalised)[:, 1]
    predictions = model.predict(texts)
    for text, prediction, row, urgent in zip(texts, predictions, expected, urgency, strict=True):
        for code, probability in prediction.top:
            assert probability == pytest.approx(row[labels.index(code)], abs=1e-9)
        assert model.urgency_evidence(text)[0] == pytest.approx(urgent, abs=1e-9)
        routed = labels[int(np.argmax(row))] != NONE_LABEL
        assert (prediction.department is not None) <= routed


def test_training_is_deterministic(
    model: RoutingModel, train_examples: list[Example], heldout_examples: list[Example]
) -> None:
    texts = [example.text for example in heldout_examples]
    again = train(train_examples, heldout=heldout_examples)
    assert again.threshold == model.threshold
    assert again.predict(texts) == model.predict(texts)
    assert model.predict(texts) == model.predict(texts)


def test_progress_is_reported(
    heldout_examples: list[Example], train_examples: list[Example]
) -> None:
    messages: list[str] = []
    train(train_examples[::5], heldout=heldout_examples, progress=messages.append)
    assert any("threshold" in message for message in messages)


def test_training_needs_actionable_heldout_and_urgent_examples(
    train_examples: list[Example],
) -> None:
    chatter = [example for example in train_examples if example.department is None]
    with pytest.raises(ValueError, match="held-out"):
        train(train_examples, heldout=chatter)
    calm = [Example(e.text, e.department, urgent=False) for e in train_examples]
    with pytest.raises(ValueError, match="urgent"):
        train(calm, heldout=train_examples[:50])


def _prediction(department: str | None, confidence: float) -> Prediction:
    return Prediction(department=department, confidence=confidence, urgent=False, top=())


def test_threshold_balances_misroutes_against_abstentions() -> None:
    examples = [Example(str(i), "DLH", urgent=False) for i in range(20)]
    examples.append(Example("chatter", None, urgent=False))
    # 18 confident and right, one unsure and wrong, one unsure and right,
    # and a chatter message routed with little confidence.
    predictions = [_prediction("DLH", 0.9)] * 18
    predictions += [_prediction("DINKES", 0.3), _prediction("DLH", 0.45)]
    predictions.append(_prediction("DLH", 0.2))
    # Raising the threshold past 0.3 drops a misroute (cost 1) for an
    # abstention (0.5); past 0.45 coverage would fall below 90 %.
    assert choose_threshold(examples, predictions) == 0.45


@pytest.mark.parametrize(
    "text",
    [
        "Kebakaran! rumah di Jl. Bunga Merak terbakar, api sudah sampai atap, tolong cepat",
        "banjir sudah sepinggang di perumahan kami, air terus naik, ada lansia belum dievakuasi",
        "bau gas menyengat dari rumah tetangga, pintunya terkunci, takut meledak",
        "tembok sekolah roboh barusan, ada anak tertimpa",
        "ada tawuran pelajar bawa celurit di depan stasiun sekarang, satu orang berdarah",
    ],
)
def test_emergencies_are_urgent(model: RoutingModel, text: str) -> None:
    assert model.predict_one(text).urgent


@pytest.mark.parametrize(
    "text",
    [
        "sampah belum diangkut tiga hari",
        "lampu PJU di gang kami mati sejak minggu lalu",
        "apinya sudah padam kemarin, sekarang kami butuh bantuan sembako",
        "genangan air tiap hujan di depan rumah, selokan mampet",
    ],
)
def test_routine_reports_are_not_urgent(model: RoutingModel, text: str) -> None:
    assert not model.predict_one(text).urgent


def test_danger_words_halve_the_urgency_threshold() -> None:
    assert is_urgent(0.3, danger=True, threshold=0.5)
    assert not is_urgent(0.3, danger=False, threshold=0.5)
    assert not is_urgent(0.2, danger=True, threshold=0.5)
    assert mentions_danger(normalize("Rumah tetangga KEBAKARAN!"))
    assert not mentions_danger(normalize("sampah belum diangkut"))


def test_urgency_threshold_flags_exactly_the_emergencies_when_it_can() -> None:
    examples = [Example(str(i), "DAMKAR", urgent=i < 2) for i in range(4)]
    # Two emergencies at 0.9 and 0.35 (no danger word), two calm reports at
    # 0.3 and 0.1: only a threshold in (0.3, 0.35] flags exactly the two.
    evidence = [(0.9, False), (0.35, False), (0.3, False), (0.1, False)]
    assert choose_urgency_threshold(examples, evidence) == 0.35
    assert choose_urgency_threshold([Example("x", "DLH", urgent=False)], [(0.9, True)]) == 0.5


def test_urgency_threshold_rather_raises_false_alarms_than_misses_an_emergency() -> None:
    # Emergencies at 0.9 and 0.2, calm reports at 0.3, 0.25 and 0.22: catching the
    # emergency at 0.2 costs three false alarms. F1 would let it wait; recall counts more.
    examples = [Example(str(i), "DAMKAR", urgent=i < 2) for i in range(5)]
    evidence = [(0.9, False), (0.2, False), (0.3, False), (0.25, False), (0.22, False)]
    assert choose_urgency_threshold(examples, evidence) == 0.2


def test_the_router_passes_the_referral_to_intake(model: RoutingModel) -> None:
    from core.routing.registry import ClassifierRouter

    decision = ClassifierRouter(model, version="test").decide(
        "Token listrik yang saya beli tidak bisa masuk ke meteran prabayar"
    )
    assert (decision.department_code, decision.refer_to) == (None, "PLN")
    assert decision.confidence is not None and decision.confidence >= model.threshold
