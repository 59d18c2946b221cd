"""Short legacy files for bench/encodings.py: one to three lines in every encoding the archive guesses.

Sentences written for this benchmark (not taken from bench/data or any corpus), in two parts written
separately: the held-out part first, before any tuning, and measured last; the development part is
what the detector was checked on while it was changed.
"""

from __future__ import annotations

HELD_OUT = {
    "fa": [
        "قطار شبانه با تأخیر دو ساعته به ایستگاه مشهد رسید.",
        "مادربزرگم هر بهار سبزه می‌کارد و آن را کنار پنجره می‌گذارد.",
        "شهرداری اعلام کرد که پارک جدید تا پایان تابستان باز می‌شود.",
        "این کتاب را دوستم از بازار کتاب‌فروشان تبریز برایم خرید.",
        "دمای هوا امروز به سی و هشت درجه رسید و مدرسه‌ها زودتر تعطیل شدند.",
        "نقاش جوان تابلوهایش را در نمایشگاهی کوچک در شیراز نشان داد.",
    ],
    "ar": [
        "وصل الوفد الرسمي إلى العاصمة مساء أمس في زيارة تستغرق ثلاثة أيام.",
        "افتتحت البلدية حديقة عامة جديدة بالقرب من شاطئ البحر.",
        "يعمل الفلاحون في الحقول منذ الفجر لجني محصول الزيتون.",
        "صدر العدد الأول من المجلة الثقافية في شهر رمضان الماضي.",
        "ارتفعت أسعار الخبز والسكر في الأسواق المحلية هذا الأسبوع.",
        "قرأ الطالب القصيدة بصوت عالٍ أمام زملائه في الصف.",
    ],
    "ur": [
        "ریل گاڑی دو گھنٹے کی تاخیر سے لاہور پہنچی۔",
        "میری دادی ہر سال صحن میں گلاب کے پودے لگاتی ہیں۔",
        "بلدیہ نے اعلان کیا کہ نیا پارک گرمیوں کے آخر تک کھل جائے گا۔",
        "اس نے بازار سے تازہ سبزیاں اور پھل خریدے۔",
        "کل رات تیز ہوا کی وجہ سے کئی درخت گر گئے۔",
        "استاد نے بچوں کو کہانی سنائی اور سوال پوچھے۔",
    ],
    "en": [
        "The night train reached the station two hours late.",
        "My grandmother plants herbs by the kitchen window every spring.",
        "The council said the new park will open before the end of summer.",
        "He bought fresh bread and a jar of honey at the market.",
        "Strong winds brought down several trees across the valley last night.",
        "The teacher read a story aloud and asked the children questions.",
    ],
    "fr": [
        "Le train de nuit est arrivé à la gare avec deux heures de retard.",
        "Ma grand-mère plante des herbes près de la fenêtre chaque printemps.",
        "Il a acheté du pain frais et un pot de miel au marché.",
    ],
    "de": [
        "Der Nachtzug erreichte den Bahnhof mit zwei Stunden Verspätung.",
        "Meine Großmutter pflanzt jedes Frühjahr Kräuter am Küchenfenster.",
        "Er kaufte frisches Brot und ein Glas Honig auf dem Markt.",
    ],
    "pl": [
        "Nocny pociąg przyjechał na stację z dwugodzinnym opóźnieniem.",
        "Moja babcia każdej wiosny sadzi zioła przy oknie.",
        "Rada miasta ogłosiła, że nowy park zostanie otwarty latem.",
        "Kupił świeży chleb i miód na targu.",
    ],
    "ru": [
        "Ночной поезд прибыл на станцию с опозданием на два часа.",
        "Моя бабушка каждую весну сажает цветы у окна.",
        "Городской совет сообщил, что новый парк откроется летом.",
        "Он купил свежий хлеб и мёд на рынке.",
    ],
    "el": [
        "Το τρένο έφτασε στον σταθμό με δύο ώρες καθυστέρηση.",
        "Η γιαγιά μου φυτεύει βασιλικό στο μπαλκόνι κάθε άνοιξη.",
        "Ο δήμος ανακοίνωσε ότι το νέο πάρκο θα ανοίξει το καλοκαίρι.",
        "Αγόρασε φρέσκο ψωμί και μέλι από την αγορά.",
    ],
    "he": [
        "הרכבת הגיעה לתחנה באיחור של שעתיים.",
        "סבתא שלי שותלת נענע ליד החלון בכל אביב.",
        "העירייה הודיעה שהפארק החדש ייפתח בקיץ.",
        "הוא קנה לחם טרי ודבש בשוק.",
    ],
}

DEVELOPMENT = {
    "fa": [
        "کتابخانه ملی امسال مجموعه‌ای از نامه‌های قدیمی را دیجیتال کرد.",
        "بچه‌ها در حیاط مدرسه فوتبال بازی می‌کردند.",
        "نخستین برف زمستان کوه‌های البرز را سفید کرد.",
        "خبرنگار از وزیر درباره قیمت نان پرسید.",
        "پدرم هر صبح چای تازه دم می‌کند.",
        "این روستا در دامنه کوه و کنار رودخانه قرار دارد.",
    ],
    "ar": [
        "أعلنت وزارة التعليم عن موعد بدء العام الدراسي الجديد.",
        "شارك مئات العدائين في سباق الماراثون صباح الجمعة.",
        "تساقطت الثلوج على قمم الجبال في شمال البلاد.",
        "سأل الصحفي الوزير عن خطة الحكومة لدعم المزارعين.",
        "يحب جدي شرب القهوة مع أصدقائه في المقهى.",
        "تقع القرية على سفح الجبل قرب نهر صغير.",
    ],
    "ur": [
        "قومی کتب خانے نے پرانے خطوط کو محفوظ کرنے کا منصوبہ شروع کیا۔",
        "بچے سکول کے میدان میں کرکٹ کھیل رہے تھے۔",
        "سردیوں کی پہلی برف نے پہاڑوں کو سفید کر دیا۔",
        "صحافی نے وزیر سے آٹے کی قیمت کے بارے میں پوچھا۔",
        "میرے والد ہر صبح تازہ چائے بناتے ہیں۔",
        "یہ گاؤں پہاڑ کے دامن میں دریا کے کنارے واقع ہے۔",
    ],
    "en": [
        "The national library digitised a collection of old letters this year.",
        "Children were playing football in the school yard.",
        "The first snow of winter turned the mountains white.",
        "The reporter asked the minister about the price of bread.",
        "My father makes fresh tea every morning.",
        "The village lies at the foot of the hill beside a river.",
    ],
    "fr": [
        "La bibliothèque nationale a numérisé de vieilles lettres cette année.",
        "Les enfants jouaient au football dans la cour de l'école.",
        "Mon père prépare du thé frais chaque matin.",
    ],
    "de": [
        "Die Nationalbibliothek hat in diesem Jahr alte Briefe digitalisiert.",
        "Die Kinder spielten Fußball auf dem Schulhof.",
        "Mein Vater kocht jeden Morgen frischen Tee.",
    ],
    "pl": [
        "Biblioteka Narodowa zdigitalizowała w tym roku stare listy.",
        "Dzieci grały w piłkę na szkolnym boisku.",
        "Pierwszy śnieg zimy pokrył góry bielą.",
        "Mój ojciec codziennie rano parzy świeżą herbatę.",
    ],
    "ru": [
        "Национальная библиотека в этом году оцифровала старые письма.",
        "Дети играли в футбол во дворе школы.",
        "Первый снег зимы покрыл горы белым.",
        "Мой отец каждое утро заваривает свежий чай.",
    ],
    "el": [
        "Η εθνική βιβλιοθήκη ψηφιοποίησε παλιά γράμματα φέτος.",
        "Τα παιδιά έπαιζαν ποδόσφαιρο στην αυλή του σχολείου.",
        "Το πρώτο χιόνι του χειμώνα άσπρισε τα βουνά.",
        "Ο πατέρας μου φτιάχνει τσάι κάθε πρωί.",
    ],
    "he": [
        "הספרייה הלאומית סרקה השנה אוסף של מכתבים ישנים.",
        "הילדים שיחקו כדורגל בחצר בית הספר.",
        "השלג הראשון של החורף הלבין את ההרים.",
        "אבא שלי מכין תה טרי בכל בוקר.",
    ],
}

# Every encoding the archive reads or guesses, with the languages written in it. UTF-16/32 without a
# byte-order mark are the forms a sniffer must recognise by their text.
SHORT_ENCODINGS: dict[str, list[str]] = {
    "utf-8": ["fa", "ar", "ur", "en", "ru", "el", "he"],
    "utf-16-le": ["fa", "ar", "ur", "en"],
    "utf-16-be": ["fa", "ar", "ur", "en"],
    "utf-32-le": ["fa", "ar", "ur"],
    "utf-32-be": ["fa", "ar", "ur"],
    "cp1256": ["fa", "ar", "ur", "en", "fr"],
    "iso8859-6": ["ar"],
    "cp720": ["ar"],
    "mac-arabic": ["fa", "ar", "ur"],
    "cp1252": ["en", "fr", "de"],
    "latin-1": ["fr", "de"],
    "cp1250": ["pl"],
    "cp1251": ["ru"],
    "cp1253": ["el"],
    "cp1255": ["he"],
}
